import Synchronization

/// Which scheme a registry host answers on. HTTPS unless the host may use plain HTTP
/// (loopback, or `insecure`); such a host is probed on both at once, as
/// go-containerregistry does, because an HTTPS handshake sent to a plain-HTTP server can
/// hang until a timeout instead of failing.
final class SchemeChoice: Sendable {
    private struct State {
        var current: String
        var settled: Bool
    }

    private let state: Mutex<State>

    init(allowsPlainHTTP: Bool) {
        state = Mutex(State(current: "https", settled: !allowsPlainHTTP))
    }

    /// The scheme to use now.
    var current: String { state.withLock { $0.current } }

    /// Whether the scheme is known.
    var isSettled: Bool { state.withLock { $0.settled } }

    /// Fixes the scheme a probe found.
    func settle(on scheme: String) {
        state.withLock {
            $0.current = scheme
            $0.settled = true
        }
    }
}
