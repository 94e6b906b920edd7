import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WharfContent
import WharfServer
import WharfServerAuth
import WharfStorage
import WharfTestSupport

/// alice may push and delete under `team/`; bob may only pull; everyone authenticated may
/// pull everything.
private let teamPolicy = AccessPolicy(
    rules: [
        AccessRule(repositories: "team/**", users: ["alice"], actions: [.pull, .push, .delete]),
        AccessRule(repositories: "**", users: ["*"], actions: [.pull]),
    ])

private func users(in directory: String) async throws -> HtpasswdFile {
    try HtpasswdFile(
        contentsOf: try await AuthFixture.htpasswd(
            in: directory, users: [("alice", "alice-secret"), ("bob", "bob:with:colons")]))
}

/// Server options with Basic authentication for alice and bob under `policy`.
private func basicOptions(
    _ policy: AccessPolicy, in directory: String, realm: String = "wharf"
) async throws -> RegistryServerOptions {
    RegistryServerOptions(
        accessControl: BasicAccessControl(realm: realm, users: try await users(in: directory), policy: policy)
    )
}

private let alice = AuthFixture.basicAuthorization("alice", "alice-secret")
private let bob = AuthFixture.basicAuthorization("bob", "bob:with:colons")

@Suite(
    "Basic authentication and access rules over HTTP", .tags(.interop),
    .enabled(if: ExternalTool.htpasswd.shouldRun))
struct BasicAccessControlTests {
    @Test("the base endpoint challenges anonymous clients with Basic and an UNAUTHORIZED body")
    func baseChallenges() async throws {
        let directory = try TemporaryDirectory()
        let options = try await basicOptions(teamPolicy, in: directory.path, realm: "Wharf \"test\"")
        try await withRegistry(options: options) { client in
            let anonymous = try await client.send(.get, "/v2/")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == #"Basic realm="Wharf \"test\"""#)
            #expect(errorCodes(anonymous) == ["UNAUTHORIZED"])
            #expect(anonymous.headers[.apiVersion] == "registry/2.0")
            #expect(try await client.send(.get, "/v2/", headers: [.authorization: alice]).status == .ok)
            #expect(try await client.send(.get, "/v2/", headers: [.authorization: bob]).status == .ok)
            let wrong = AuthFixture.basicAuthorization("alice", "guess")
            #expect(
                try await client.send(.get, "/v2/", headers: [.authorization: wrong]).status == .unauthorized)
            let unknown = AuthFixture.basicAuthorization("mallory", "alice-secret")
            #expect(
                try await client.send(.get, "/v2/", headers: [.authorization: unknown]).status
                    == .unauthorized)
            #expect(
                try await client.send(.get, "/v2/", headers: [.authorization: "Basic !!!"]).status
                    == .unauthorized)
        }
    }

    @Test("a user pushes where rules allow it and gets 403 DENIED where they do not")
    func rulesDecide() async throws {
        let directory = try TemporaryDirectory()
        let options = try await basicOptions(teamPolicy, in: directory.path)
        try await withRegistry(options: options) { client in
            let blob = Array("layer".utf8)
            let digest = DigestHasher.digest(of: blob)
            let push = try await client.send(
                .post, "/v2/team/app/blobs/uploads/?digest=\(digest)", headers: [.authorization: alice],
                body: blob)
            #expect(push.status == .created)
            let bobPush = try await client.send(
                .post, "/v2/team/app/blobs/uploads/?digest=\(digest)", headers: [.authorization: bob],
                body: blob)
            #expect(bobPush.status == .forbidden)
            #expect(errorCodes(bobPush) == ["DENIED"])
            #expect(
                try await client.send(.get, "/v2/team/app/blobs/\(digest)", headers: [.authorization: bob])
                    .status == .ok)
            let bobDelete = try await client.send(
                .delete, "/v2/team/app/blobs/\(digest)", headers: [.authorization: bob])
            #expect(bobDelete.status == .forbidden)
            let alicePushElsewhere = try await client.send(
                .post, "/v2/other/app/blobs/uploads/?digest=\(digest)", headers: [.authorization: alice],
                body: blob)
            #expect(alicePushElsewhere.status == .forbidden)
            #expect(try await client.send(.get, "/v2/team/app/blobs/\(digest)").status == .unauthorized)
            #expect(try await client.send(.get, "/v2/_catalog", headers: [.authorization: bob]).status == .ok)
            #expect(try await client.send(.get, "/v2/_catalog").status == .unauthorized)
        }
    }

    @Test("anonymous pull works when enabled, while anonymous push is still challenged")
    func anonymousPull() async throws {
        let directory = try TemporaryDirectory()
        var policy = teamPolicy
        policy.anonymousPull = true
        let options = try await basicOptions(policy, in: directory.path)
        try await withRegistry(options: options) { client in
            let blob = Array("public layer".utf8)
            let digest = DigestHasher.digest(of: blob)
            _ = try await client.send(
                .post, "/v2/team/app/blobs/uploads/?digest=\(digest)", headers: [.authorization: alice],
                body: blob)
            let pulled = try await client.send(.get, "/v2/team/app/blobs/\(digest)")
            #expect(pulled.status == .ok)
            #expect(Array(pulled.body.readableBytesView) == blob)
            #expect(try await client.send(.get, "/v2/_catalog").status == .ok)
            let push = try await client.send(.post, "/v2/team/app/blobs/uploads/")
            #expect(push.status == .unauthorized)
            #expect(push.headers[.wwwAuthenticate] == #"Basic realm="wharf""#)
            #expect(
                try await client.send(.get, "/v2/").status == .unauthorized, "clients discover auth at /v2/")
        }
    }

    @Test("a mount from a repository the user may not read becomes an ordinary upload")
    func mountNeedsReadAccessToTheSource() async throws {
        let directory = try TemporaryDirectory()
        let policy = AccessPolicy(rules: [
            AccessRule(repositories: "secret/*", users: ["alice"], actions: [.pull, .push]),
            AccessRule(repositories: "public/*", users: ["bob", "alice"], actions: [.pull, .push]),
        ])
        let options = try await basicOptions(policy, in: directory.path)
        try await withRegistry(options: options) { client in
            let blob = Array("confidential".utf8)
            let digest = DigestHasher.digest(of: blob)
            _ = try await client.send(
                .post, "/v2/secret/data/blobs/uploads/?digest=\(digest)", headers: [.authorization: alice],
                body: blob)
            let bobMount = try await client.send(
                .post, "/v2/public/app/blobs/uploads/?mount=\(digest)&from=secret/data",
                headers: [.authorization: bob])
            #expect(bobMount.status == .accepted, "no read access to the source: an upload session instead")
            let bobMountAnywhere = try await client.send(
                .post, "/v2/public/app/blobs/uploads/?mount=\(digest)", headers: [.authorization: bob])
            #expect(
                bobMountAnywhere.status == .accepted,
                "bob may not read every repository: no source-less mount")
            #expect(
                try await client.send(.head, "/v2/public/app/blobs/\(digest)", headers: [.authorization: bob])
                    .status == .notFound)
            let aliceMount = try await client.send(
                .post, "/v2/public/app/blobs/uploads/?mount=\(digest)&from=secret/data",
                headers: [.authorization: alice])
            #expect(aliceMount.status == .created)
        }
    }

    @Test(
        "a mount without a source works for a user who may pull every repository, as Distribution's htpasswd mode"
    )
    func sourcelessMountForUsersWhoReadEverything() async throws {
        let directory = try TemporaryDirectory()
        let options = try await basicOptions(teamPolicy, in: directory.path)
        try await withRegistry(options: options) { client in
            let blob = Array("shared layer".utf8)
            let digest = DigestHasher.digest(of: blob)
            _ = try await client.send(
                .post, "/v2/team/base/blobs/uploads/?digest=\(digest)", headers: [.authorization: alice],
                body: blob)
            // teamPolicy lets every authenticated user pull `**`: alice may mount from anywhere.
            let mount = try await client.send(
                .post, "/v2/team/app/blobs/uploads/?mount=\(digest)", headers: [.authorization: alice])
            #expect(mount.status == .created)
            #expect(mount.headers[.location] == "/v2/team/app/blobs/\(digest)")
        }
    }
}
