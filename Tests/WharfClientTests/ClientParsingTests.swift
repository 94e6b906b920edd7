import Foundation
import Testing

@testable import WharfClient

@Suite("Client parsing: challenges, Link headers, Retry-After")
struct ClientParsingTests {
    @Test("a bearer challenge yields realm, service and every scope")
    func bearerChallenge() throws {
        let challenges = AuthChallenge.parse(
            #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push repository:c:pull""#
        )
        let bearer = try #require(challenges.first)
        #expect(challenges.count == 1)
        #expect(bearer.scheme == "bearer")
        #expect(bearer.realm == "https://auth.example.com/token")
        #expect(bearer.service == "registry.example.com")
        #expect(bearer.scopes == ["repository:a/b:pull,push", "repository:c:pull"])
    }

    @Test("several challenges, escaped quotes, unquoted values and odd spacing parse")
    func severalChallenges() {
        let challenges = AuthChallenge.parse(
            #"Basic realm="Wharf \"test\"" , BEARER realm=https://a/token, service = svc,error="insufficient_scope""#
        )
        #expect(challenges.map(\.scheme) == ["basic", "bearer"])
        #expect(challenges.first?.realm == #"Wharf "test""#)
        #expect(challenges.last?.realm == "https://a/token")
        #expect(challenges.last?.service == "svc")
        #expect(challenges.last?.parameters["error"] == "insufficient_scope")
        #expect(AuthChallenge.parse("").isEmpty)
        #expect(AuthChallenge.parse(#"Bearer realm="unterminated"#).first?.realm == nil)
    }

    @Test("the next link is found among several links and parameters")
    func linkHeader() {
        #expect(LinkHeader.next(#"</v2/a/tags/list?n=2&last=b>; rel="next""#) == "/v2/a/tags/list?n=2&last=b")
        #expect(
            LinkHeader.next(#"<https://x/prev>; rel="prev", <https://x/next>; rel=next"#) == "https://x/next")
        #expect(LinkHeader.next(#"<https://x/prev>; rel="prev""#) == nil)
        #expect(LinkHeader.next(nil) == nil)
    }

    @Test("retry delays grow exponentially with jitter, and Retry-After wins up to the ceiling")
    func retryDelays() throws {
        let policy = RetryPolicy(
            maximumAttempts: 5, initialDelay: .milliseconds(100), maximumDelay: .seconds(2))
        for attempt in 1...8 {
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
            let ceiling = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(2))
            #expect(delay >= .zero && delay <= ceiling, "attempt \(attempt): \(delay)")
        }
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(1)) == .seconds(1))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(60)) == .seconds(2))
        #expect(RegistryClient.retryAfter("3") == .seconds(3))
        // The HTTP-date forms, counted from `now`; a date in the past means retry at once.
        let now = try #require(ISO8601DateFormatter().date(from: "2015-10-21T07:27:50Z"))
        #expect(RegistryClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(10))
        #expect(RegistryClient.retryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == .seconds(10))
        #expect(RegistryClient.retryAfter("Wed Oct 21 07:28:00 2015", now: now) == .seconds(10))
        #expect(RegistryClient.retryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
        #expect(RegistryClient.retryAfter("soon") == nil)
        #expect(RegistryClient.retryAfter("-3") == nil)
    }

    @Test("only loopback hosts may fall back to plain HTTP unless asked")
    func loopback() throws {
        #expect(try RegistryClient(host: "127.0.0.1:5000").allowsPlainHTTP)
        #expect(try RegistryClient(host: "localhost").allowsPlainHTTP)
        #expect(try RegistryClient(host: "[::1]:5000").allowsPlainHTTP)
        #expect(!(try RegistryClient(host: "registry.example.com").allowsPlainHTTP))
        #expect(!(try RegistryClient(host: "127.example.com").allowsPlainHTTP))
        #expect(try RegistryClient(host: "127.1.2.3:80").allowsPlainHTTP)
        #expect(
            try RegistryClient(host: "registry.example.com", configuration: .init(insecure: true))
                .allowsPlainHTTP)
        #expect(throws: RegistryClientError.self) { try RegistryClient(host: "a/b") }
        #expect(throws: RegistryClientError.self) { try RegistryClient(host: "127.0.0.1").repository("a//b") }
    }
}
