public import Foundation

/// CNCF Distribution's registry (Debian's `docker-registry`, 2.8) running on an ephemeral
/// loopback port over a given storage root, for interoperability tests.
public final class DistributionRegistry: @unchecked Sendable {
    /// The registry program.
    public static let tool = ExternalTool("docker-registry", package: "docker-registry")

    /// `127.0.0.1:<port>`, as the registry reported when it started listening.
    public let address: String
    private let process: Process

    private init(address: String, process: Process) {
        self.address = address
        self.process = process
    }

    /// Runs `body` with a registry serving `root` (Distribution's
    /// `storage.filesystem.rootdirectory`), and stops it afterwards, whatever happens.
    /// `extraConfiguration` is appended to the configuration file at top level (an `auth:`
    /// section, say).
    public static func with<T>(
        root: String, configDirectory: String, extraConfiguration: String = "",
        _ body: (DistributionRegistry) async throws -> T
    ) async throws -> T {
        let registry = try await start(
            root: root, configDirectory: configDirectory, extraConfiguration: extraConfiguration)
        do {
            let result = try await body(registry)
            await registry.stop()
            return result
        } catch {
            await registry.stop()
            throw error
        }
    }

    static func start(
        root: String, configDirectory: String, extraConfiguration: String
    ) async throws -> DistributionRegistry {
        guard let executable = tool.path else {
            throw ToolFailure(
                tool: tool.name, status: -1, output: "not installed (apt-get install \(tool.package))")
        }
        let config = (configDirectory as NSString).appendingPathComponent(
            "registry-\(UUID().uuidString.prefix(8)).yml")
        try """
        version: 0.1
        log:
          level: info
        storage:
          filesystem:
            rootdirectory: \(root)
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        http:
          addr: 127.0.0.1:0
          secret: wharf-interop-tests
        \(extraConfiguration)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", config]
        let errors = ChildProcessSpawning.exclusively { ChildProcessSpawning.pipe() }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let buffer = LineBuffer()
        let lines = buffer.lines(of: errors.fileHandleForReading)
        try ChildProcessSpawning.exclusively { try process.run() }
        // The registry logs the address it actually bound: that line is the readiness signal.
        for await line in lines {
            if let range = line.range(of: "listening on ") {
                let address = line[range.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" }
                return DistributionRegistry(address: String(address), process: process)
            }
        }
        process.terminate()
        throw ToolFailure(
            tool: tool.name, status: process.isRunning ? -1 : process.terminationStatus, output: buffer.text)
    }

    /// Stops the registry and waits for it to exit.
    public func stop() async {
        guard process.isRunning else { return }
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.yield() }
        process.terminate()
        if process.isRunning {
            for await _ in exited.stream { break }
        }
    }
}

/// Splits incoming bytes into lines, keeping everything for error reports.
final class LineBuffer: @unchecked Sendable {
    /// The lines written to `handle` from now on, as they arrive; the stream ends at end
    /// of file. Everything read is also kept in ``text``. Reads block a dedicated thread,
    /// never a Swift concurrency thread.
    func lines(of handle: FileHandle) -> AsyncStream<String> {
        let (lines, continuation) = AsyncStream<String>.makeStream()
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                for line in append(data) { continuation.yield(line) }
            }
            continuation.finish()
        }
        return lines
    }

    private let lock = NSLock()
    private var pending = ""
    private(set) var text = ""

    func append(_ data: Data) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let chunk = String(decoding: data, as: UTF8.self)
        text += chunk
        pending += chunk
        var lines: [String] = []
        while let newline = pending.firstIndex(of: "\n") {
            lines.append(String(pending[..<newline]))
            pending = String(pending[pending.index(after: newline)...])
        }
        return lines
    }
}
