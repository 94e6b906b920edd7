import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import WharfContent

/// A client of one registry host, holding all per-host policy: scheme (HTTPS, with a
/// fallback to plain HTTP only for loopback hosts or when asked), TLS, authentication
/// with token cache, retries with backoff, and the limit on concurrent transfers.
///
/// ```swift
/// let client = try RegistryClient(host: "registry.example.com")
/// let repository = try client.repository("team/app")
/// let descriptor = try await repository.resolve("v1")
/// ```
public final class RegistryClient: Sendable {
    /// `name[:port]`.
    public let host: String
    /// The policy.
    public let configuration: RegistryClientConfiguration
    /// Whether plain HTTP may be used: for loopback hosts and `insecure` registries, when
    /// HTTPS does not connect.
    public let allowsPlainHTTP: Bool
    let authenticator: RegistryAuthenticator
    let transfers: AsyncSemaphore
    let scheme: SchemeChoice
    private let tls: TLSConfiguration?

    /// Creates a client for `host` (`registry.example.com`, `127.0.0.1:5000`).
    public init(
        host: String, configuration: RegistryClientConfiguration = RegistryClientConfiguration()
    ) throws {
        guard !host.isEmpty, !host.contains("/"), !host.contains(where: \.isWhitespace) else {
            throw RegistryClientError(
                status: nil, message: "invalid registry host \"\(host)\"", isRetryable: false, request: host)
        }
        self.host = host
        self.configuration = configuration
        allowsPlainHTTP = configuration.insecure || RegistryClientConfiguration.isLoopback(host)
        scheme = SchemeChoice(allowsPlainHTTP: allowsPlainHTTP)
        if let custom = configuration.tls {
            tls = custom
        } else if configuration.insecure {
            // Docker's insecure registries: HTTPS without verification, then plain HTTP.
            var unverified = TLSConfiguration.makeClientConfiguration()
            unverified.certificateVerification = .none
            tls = unverified
        } else {
            tls = nil
        }
        authenticator = RegistryAuthenticator(host: host, credentials: configuration.credentials)
        transfers = AsyncSemaphore(permits: configuration.maximumConcurrentTransfers)
    }

    /// A repository on this registry.
    public func repository(_ name: String) throws -> RemoteRepository {
        try RemoteRepository(client: self, name: name)
    }

    /// Checks that the host speaks the registry API and that the credentials (if any) are
    /// accepted: `GET /v2/`.
    public func ping() async throws {
        _ = try await send(RegistryRequest(.GET, "/v2/", scopes: [], expected: [200])).body.collect(
            upTo: 1 << 16)
    }

    /// The repository names (`GET /v2/_catalog`), following `Link` pagination; `pageSize`
    /// asks for pages of that many.
    public func catalog(pageSize: Int? = nil) async throws -> [String] {
        struct Page: Decodable { var repositories: [String]? }
        var names: [String] = []
        var next: String? = "/v2/_catalog" + (pageSize.map { "?n=\($0)" } ?? "")
        while let target = next {
            let response = try await send(
                RegistryRequest(.GET, target, scopes: ["registry:catalog:*"], expected: [200]))
            next = LinkHeader.next(response.headers.first(name: "Link"))
            let body = try await response.body.collect(upTo: 16 << 20)
            let page = try JSONDecoder().decode(Page.self, from: Data(body.readableBytesView))
            names += page.repositories ?? []
        }
        return names
    }

    /// The absolute URL of `target` (a path or an absolute URL).
    func url(_ target: String) -> String {
        if target.hasPrefix("http://") || target.hasPrefix("https://") { return target }
        return scheme.current + "://" + host + (target.hasPrefix("/") ? target : "/" + target)
    }

    /// Sends `request` with authentication, retries and redirects; returns the response of
    /// an expected status with its body unread, or throws ``RegistryClientError``.
    func send(_ request: RegistryRequest) async throws -> HTTPClientResponse {
        if !scheme.isSettled { await probeScheme() }
        var reauthenticated = false
        return try await retrying(request) {
            while true {
                let authorization = try await authenticator.authorization(for: request.scopes, client: self)
                let response = try await execute(request, authorization: authorization)
                if response.status.code == 401, !reauthenticated,
                    try await authenticator.learn(
                        from: response.headers.first(name: "WWW-Authenticate"), scopes: request.scopes,
                        failedAuthorization: authorization)
                {
                    // Once, with what the challenge taught: credentials or a token for the scope.
                    reauthenticated = true
                    if request.replayable { continue }
                }
                return try await check(response, request: request)
            }
        }
    }

    /// Like ``send(_:)`` without the registry's authentication (token service requests).
    func sendUnauthenticated(_ request: RegistryRequest) async throws -> HTTPClientResponse {
        try await retrying(request) {
            try await check(try await execute(request, authorization: nil), request: request)
        }
    }

    /// Runs `body` until it succeeds, fails with an error a retry cannot help, or the
    /// policy's attempts are used up, waiting with backoff (or `Retry-After`) between.
    private func retrying<T>(_ request: RegistryRequest, _ body: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as RegistryClientError {
                guard error.isRetryable, request.replayable, attempt < configuration.retry.maximumAttempts
                else {
                    throw error
                }
                let delay = configuration.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                configuration.logger.debug(
                    "retrying registry request",
                    metadata: [
                        "request": "\(error.request)", "attempt": "\(attempt)", "delay": "\(delay)",
                        "error": "\(error.message)",
                    ])
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// Asks `GET /v2/` over HTTPS and plain HTTP at once; the first to answer as a
    /// registry does (200 or 401) decides. Nothing answering leaves HTTPS, whose error the
    /// real request then reports.
    private func probeScheme() async {
        let (host, tls, http) = (self.host, self.tls, configuration.httpClient)
        let winner = await withTaskGroup(of: ProbeResult.self) { group -> String? in
            for candidate in ["https", "http"] {
                group.addTask {
                    var request = HTTPClientRequest(url: "\(candidate)://\(host)/v2/")
                    request.tlsConfiguration = tls
                    request.headers.add(name: "User-Agent", value: "wharf/\(WharfClientVersion.string)")
                    do {
                        let response = try await http.execute(request, timeout: .seconds(30))
                        _ = try? await response.body.collect(upTo: 1 << 16)
                        return [200, 401].contains(response.status.code) ? .answered(candidate) : .failed
                    } catch {
                        return .failed
                    }
                }
            }
            for await result in group {
                if case .answered(let scheme) = result {
                    group.cancelAll()
                    return scheme
                }
            }
            return nil
        }
        scheme.settle(on: winner ?? "https")
        configuration.logger.debug(
            "registry scheme chosen", metadata: ["host": "\(host)", "scheme": "\(winner ?? "https")"])
    }

    /// Whether `error` is a TLS handshake that failed for good (a certificate the client
    /// does not trust, a protocol the two sides do not share), which a retry cannot mend;
    /// a connection cut during the handshake can pass.
    static func isFailedHandshake(_ error: any Error) -> Bool {
        guard case NIOSSLError.handshakeFailed(let failure) = error else { return false }
        if case .sslError(let stack) = failure, stack.contains(.eofDuringHandshake) { return false }
        return true
    }

    private enum ProbeResult: Sendable {
        case answered(String)
        case failed
    }

    /// One attempt, following redirects of GET and HEAD by hand so that credentials never
    /// travel to another origin (blob downloads are often redirected to object storage).
    private func execute(
        _ request: RegistryRequest, authorization: String?
    ) async throws -> HTTPClientResponse {
        var target = url(request.target)
        var authorization = authorization
        var redirects = 0
        while redirects < 6 {
            var outgoing = HTTPClientRequest(url: target)
            outgoing.method = request.method
            outgoing.headers = request.headers
            outgoing.headers.replaceOrAdd(name: "User-Agent", value: "wharf/\(WharfClientVersion.string)")
            if let authorization {
                outgoing.headers.replaceOrAdd(name: "Authorization", value: authorization)
            }
            outgoing.body = request.body?()
            outgoing.tlsConfiguration = tls
            let response: HTTPClientResponse
            configuration.logger.trace(
                "registry request", metadata: ["request": "\(request.method) \(target)"])
            do {
                response = try await configuration.httpClient.execute(outgoing, timeout: .seconds(600))
            } catch let error as ContentError {
                throw error  // the body being sent failed its own verification: not the network's fault
            } catch {
                // A failed TLS handshake (an untrusted certificate, say) fails again; other
                // network errors (refused, reset, timed out) may pass.
                let failedHandshake = Self.isFailedHandshake(error)
                throw RegistryClientError(
                    status: nil,
                    message: failedHandshake ? "TLS handshake failed: \(error)" : "\(error)",
                    isRetryable: !failedHandshake, request: "\(request.method) \(target)")
            }
            guard [301, 302, 303, 307, 308].contains(Int(response.status.code)),
                request.method == .GET || request.method == .HEAD,
                let location = response.headers.first(name: "Location"),
                let next = URL(string: location, relativeTo: URL(string: target))?.absoluteString
            else { return response }
            if Self.origin(of: next) != Self.origin(of: target) { authorization = nil }
            target = next
            redirects += 1
        }
        throw RegistryClientError(
            status: nil, message: "too many redirects", isRetryable: false,
            request: "\(request.method) \(request.target)")
    }

    /// Passes responses of expected statuses; turns the rest into errors carrying the OCI
    /// error codes and `Retry-After`.
    private func check(
        _ response: HTTPClientResponse, request: RegistryRequest
    ) async throws -> HTTPClientResponse {
        let status = Int(response.status.code)
        if request.expected.contains(status) { return response }
        let body = (try? await response.body.collect(upTo: 64 << 10)) ?? ByteBuffer()
        let parsed = OCIErrorBody.parse(body)
        throw RegistryClientError(
            status: status, codes: parsed.codes,
            message: parsed.message
                ?? (body.readableBytes == 0
                    ? "\(response.status)" : "\(response.status): " + String(buffer: body).prefix(200)),
            isRetryable: RegistryClientError.isRetryable(status: status),
            retryAfter: Self.retryAfter(response.headers.first(name: "Retry-After")),
            request: "\(request.method) \(url(request.target))")
    }

    /// `Retry-After` as a wait: delay-seconds, or an HTTP-date (the IMF-fixdate form and the
    /// two obsolete ones RFC 9110 still requires recipients to read) counted from `now`; a
    /// date already past means no wait.
    static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? .seconds(seconds) : nil }
        for format in [
            "EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy",
        ] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(secondsFromGMT: 0)
            formatter.dateFormat = format
            if let date = formatter.date(
                from: value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
            {
                return .seconds(max(0, Int(date.timeIntervalSince(now).rounded(.up))))
            }
        }
        return nil
    }

    private static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        return "\(components.scheme ?? "")://\(components.host ?? ""):\(components.port ?? -1)"
    }
}
