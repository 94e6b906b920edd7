import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP proxy on loopback that forwards to an upstream server and, once, cuts a client's
/// connection in the middle of a blob download: after it has passed `dropAfter` bytes of
/// the response to the first `GET .../blobs/...` request without a `Range` header.
///
/// Plain blocking sockets on dedicated threads: simple, and independent of the code under
/// test. Connections close when either side does; ``stop()`` closes the listener.
public final class DroppingProxy: @unchecked Sendable {
    /// `127.0.0.1:<port>`.
    public let address: String
    private let listener: Int32
    private let upstreamPort: UInt16
    private let dropAfter: Int
    private let lock = NSLock()
    private var armed = true
    private var dropped = 0

    /// How many connections the proxy cut.
    public var droppedConnections: Int { lock.withLock { dropped } }

    /// Listens on an ephemeral loopback port in front of `upstream` (`127.0.0.1:<port>`).
    public init(upstream: String, dropAfter: Int) throws {
        guard let portText = upstream.split(separator: ":").last, let port = UInt16(portText) else {
            throw ToolFailure(tool: "proxy", status: -1, output: "bad upstream \(upstream)")
        }
        upstreamPort = port
        self.dropAfter = dropAfter
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard listener >= 0, bound == 0, listen(listener, 16) == 0 else {
            throw ToolFailure(tool: "proxy", status: errno, output: "cannot listen")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        self.address = "127.0.0.1:\(UInt16(bigEndian: actual.sin_port))"
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting connections.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            let state = ConnectionState()
            Thread.detachNewThread { [self] in pumpRequests(from: client, to: upstream, state: state) }
            Thread.detachNewThread { [self] in pumpResponses(from: upstream, to: client, state: state) }
        }
    }

    /// Client to upstream; notices a full blob GET and arms the cut.
    private func pumpRequests(from client: Int32, to upstream: Int32, state: ConnectionState) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { break }
            let text = String(decoding: buffer[..<count], as: UTF8.self)
            if text.hasPrefix("GET "), text.contains("/blobs/"), !text.lowercased().contains("\r\nrange:") {
                let take = lock.withLock { () -> Bool in
                    defer { armed = false }
                    return armed
                }
                if take { state.startCounting() }
            }
            if !writeAll(upstream, buffer, count) { break }
        }
        shutdown(upstream, Int32(SHUT_WR))
    }

    /// Upstream to client; cuts both sockets once the armed response passed `dropAfter`.
    private func pumpResponses(from upstream: Int32, to client: Int32, state: ConnectionState) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(upstream, &buffer, buffer.count)
            if count <= 0 { break }
            if let passed = state.counted(count), passed >= dropAfter {
                let allowed = count - (passed - dropAfter)
                _ = writeAll(client, buffer, allowed)
                lock.withLock { dropped += 1 }
                break
            }
            if !writeAll(client, buffer, count) { break }
        }
        shutdown(client, Int32(SHUT_RDWR))
        close(client)
        shutdown(upstream, Int32(SHUT_RDWR))
        close(upstream)
    }

    private func writeAll(_ socket: Int32, _ buffer: [UInt8], _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let written = buffer[offset..<count].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private final class ConnectionState: @unchecked Sendable {
        private let lock = NSLock()
        private var total: Int?

        func startCounting() { lock.withLock { total = 0 } }

        /// Adds `count` response bytes when counting; returns the new total.
        func counted(_ count: Int) -> Int? {
            lock.withLock {
                guard let current = total else { return nil }
                total = current + count
                return current + count
            }
        }
    }
}
