import Foundation
import Testing
import WharfContent
import WharfTestSupport

@Suite("wharf serve: configuration file, TLS, authentication, shutdown")
struct ServeCommandTests {
    @Test("configuration mistakes stop the server with a message that names the key or file")
    func configurationErrors() async throws {
        let directory = try TemporaryDirectory()
        let cases: [(yaml: String, message: String)] = [
            ("address: 127.0.0.1:0\nauth:\n  anonymousPul: true\n", #"unknown key "anonymousPul" at auth"#),
            ("address: 127.0.0.1:0\nauth:\n  htpasswd: missing-file\n", "htpasswd file"),
            ("address: [1, 2]\n", "address"),
            ("address: 127.0.0.1:0\nauth:\n  token: { service: s, issuer: i }\n", "signingKey"),
            ("address: 127.0.0.1:0\ntls: { certificate: nope.crt, key: nope.key }\n", "TLS certificate"),
            (
                "address: 127.0.0.1:0\nauth:\n  access:\n    - { repositories: a, users: [x], actions: [pull], extra: 1 }\n",
                "extra"
            ),
            (
                "address: 127.0.0.1:0\nstorage: { uploadPurging: { age: soon } }\n",
                "storage.uploadPurging.age"
            ),
            ("address: 127.0.0.1:0\nretention: { rules: [{ repositories: a }] }\n", "retention.rules[0]"),
            ("address: 127.0.0.1:0\nmetadata: { auditRetention: forever }\n", "metadata.auditRetention"),
        ]
        for (index, item) in cases.enumerated() {
            let config = directory.appending("config-\(index).yml")
            try item.yaml.write(toFile: config, atomically: true, encoding: .utf8)
            let result = try await WharfBinary.run([
                "serve", "--config", config, "--root", directory.appending("root"),
            ])
            #expect(result.status != 0, "\(item.yaml)")
            let message = String(decoding: result.standardError, as: UTF8.self)
            #expect(message.contains(item.message), "\(message)")
        }
    }

    @Test(
        "uploads reach the disk around the page cache by default, and through it with storage.directIO false",
        .tags(.interop), .enabled(if: ExternalTool.curl.shouldRun))
    func directIOSetting() async throws {
        let directory = try TemporaryDirectory()
        let bypasses = try PageCache.directIOBypassesCache(under: directory.path)
        var generator = SeededGenerator(seed: 7)
        let blob = (0..<(6 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let blobFile = directory.appending("blob")
        try Data(blob).write(to: URL(fileURLWithPath: blobFile))
        let digest = DigestHasher.digest(of: blob)
        for directIO in [nil, false] as [Bool?] {
            let root = directory.appending("root-\(String(describing: directIO))")
            let config = directory.appending("wharf-\(String(describing: directIO)).yml")
            try (directIO.map { "storage: { directIO: \($0) }\n" } ?? "root: \(root)\n")
                .write(toFile: config, atomically: true, encoding: .utf8)
            let (server, address) = try await Self.start([
                "--config", config, "--address", "127.0.0.1:0", "--root", root,
            ])
            let status = try await ExternalTool.curl.run([
                "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-binary", "@\(blobFile)",
                "-H", "Content-Type: application/octet-stream",
                "http://\(address)/v2/team/app/blobs/uploads/?digest=\(digest)",
            ])
            server.terminate()
            #expect(await server.waitForExit() == 0)
            #expect(status == "201")
            let stored =
                "\(root)/docker/registry/v2/blobs/sha256/\(digest.encoded.prefix(2))/\(digest.encoded)/data"
            let resident = try PageCache.residentFraction(of: stored)
            if directIO == nil && bypasses {
                #expect(resident < 0.05, "\(Int(resident * 100))% of the uploaded blob is cached")
            } else {
                #expect(resident > 0.95, "only \(Int(resident * 100))% of the uploaded blob is cached")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: stored)) == Data(blob))
        }
    }

    @Test("SIGTERM stops the server gracefully with exit status 0")
    func gracefulShutdown() async throws {
        let directory = try TemporaryDirectory()
        let (server, _) = try await Self.start([
            "--address", "127.0.0.1:0", "--root", directory.appending("root"),
        ])
        server.terminate()
        #expect(await server.waitForExit() == 0)
    }

    @Test(
        "a YAML configuration turns on TLS and Basic auth: skopeo pushes and pulls with credentials, not without",
        .tags(.interop),
        .enabled(
            if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun
                && ExternalTool.htpasswd.shouldRun
                && ExternalTool.openssl.shouldRun))
    func tlsAndBasicAuthFromConfiguration() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let configDirectory = directory.appending("etc")
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        _ = try await AuthFixture.htpasswd(
            in: configDirectory, users: [("alice", "alice-secret"), ("bob", "bob-secret")])
        let (certificate, _) = try await AuthFixture.tlsCertificate(in: configDirectory)
        // skopeo trusts the CA certificates (*.crt) of a --cert-dir.
        let certDirectory = directory.appending("certs")
        try FileManager.default.createDirectory(atPath: certDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: certificate, toPath: certDirectory + "/ca.crt")
        // Relative paths resolve against the configuration's directory.
        try """
        address: 127.0.0.1:5999
        root: data
        log: { level: info }
        tls: { certificate: tls.crt, key: tls.key }
        auth:
          htpasswd: htpasswd
          realm: Wharf test
          access:
            - { repositories: "team/**", users: [alice], actions: [pull, push, delete] }
            - { repositories: "**", users: ["*"], actions: [pull] }
        """.write(toFile: configDirectory + "/wharf.yml", atomically: true, encoding: .utf8)
        let (server, address) = try await Self.start([
            "--config", configDirectory + "/wharf.yml", "--address", "127.0.0.1:0",
        ])
        let reference = "docker://\(address)/team/app:v2"
        try await ExternalTool.skopeo.run([
            "copy", "--dest-cert-dir", certDirectory, "--dest-creds", "alice:alice-secret",
            "--preserve-digests",
            "oci:\(layout):v2", reference,
        ])
        #expect(
            FileManager.default.fileExists(
                atPath: configDirectory + "/data/docker/registry/v2/repositories/team/app"))
        let raw = try await ExternalTool.skopeo.run([
            "inspect", "--raw", "--cert-dir", certDirectory, "--creds", "bob:bob-secret", reference,
        ])
        let expected = try await ExternalTool.skopeo.run(["inspect", "--raw", "oci:\(layout):v2"])
        #expect(raw == expected)
        await #expect(throws: ToolFailure.self) {
            try await ExternalTool.skopeo.run(["inspect", "--raw", "--cert-dir", certDirectory, reference])
        }
        await #expect(throws: ToolFailure.self, "bob may pull but not push") {
            try await ExternalTool.skopeo.run([
                "copy", "--dest-cert-dir", certDirectory, "--dest-creds", "bob:bob-secret",
                "oci:\(layout):v2",
                "docker://\(address)/team/bob:v2",
            ])
        }
        await #expect(throws: ToolFailure.self, "the certificate is required: plain verification fails") {
            try await ExternalTool.skopeo.run(["inspect", "--raw", "--creds", "bob:bob-secret", reference])
        }
        // Wharf's own client: HTTPS on loopback with a private CA, or --insecure without one.
        let home = directory.appending("home")
        let listed = try await WharfBinary.run(
            ["ls", "--ca-cert", certificate, "--creds", "bob:bob-secret", "\(address)/team/app"], home: home)
        #expect(String(decoding: listed.standardOutput, as: UTF8.self) == "v2\n")
        let insecure = try await WharfBinary.run(
            ["ls", "--insecure", "--creds", "bob:bob-secret", "\(address)/team/app"], home: home)
        #expect(String(decoding: insecure.standardOutput, as: UTF8.self) == "v2\n")
        let unverified = try await WharfBinary.run(
            ["ls", "--creds", "bob:bob-secret", "\(address)/team/app"], home: home)
        #expect(
            unverified.status == 1, "a self-signed certificate is not trusted without --ca-cert or --insecure"
        )
        server.terminate()
        #expect(await server.waitForExit() == 0)
    }

    /// Starts `wharf serve` and waits until it listens; returns it and `HOST:PORT`.
    static func start(_ arguments: [String]) async throws -> (InteractiveProcess, String) {
        let server = try InteractiveProcess(
            try WharfBinary.path, ["serve"] + arguments, mergingStandardError: true)
        var log: [String] = []
        let line = await server.waitForLine { line in
            log.append(line)
            return line.contains("listening on ") || line.hasPrefix("Error")
        }
        guard let line, let range = line.range(of: "listening on ") else {
            await server.kill()
            throw ToolFailure(tool: "wharf serve", status: -1, output: log.joined(separator: "\n"))
        }
        return (server, String(line[range.upperBound...].prefix { !$0.isWhitespace }))
    }
}
