import Foundation
import Testing
import WharfContent
import WharfImage
import WharfServer
import WharfServerAuth
import WharfServerTestSupport
import WharfStorage
import WharfTestSupport

@Suite(
    "Token authentication with skopeo and CNCF Distribution",
    .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.htpasswd.shouldRun
            && ExternalTool.openssl.shouldRun && DistributionRegistry.tool.shouldRun))
struct AuthInteropTests {
    @Test(
        "skopeo runs the token flow against Wharf: alice pushes, bob pulls, bob cannot push, anonymous cannot pull"
    )
    func skopeoTokenFlow() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let expected = try await OCILayoutStore(root: layout, create: false).resolve("v2")
        let options = try await TokenAccessControlTests.options(in: directory.path)
        let back = directory.appending("back")
        try await withRegistry(options: options) { client in
            let registry = "127.0.0.1:\(try #require(client.port))"
            try await ExternalTool.skopeo.run([
                "copy", "--dest-tls-verify=false", "--dest-creds", "alice:alice-secret", "--preserve-digests",
                "oci:\(layout):v2", "docker://\(registry)/team/app:v2",
            ])
            try await ExternalTool.skopeo.run([
                "copy", "--src-tls-verify=false", "--src-creds", "bob:bob-secret", "--preserve-digests",
                "docker://\(registry)/team/app:v2", "oci:\(back):v2",
            ])
            await #expect(throws: ToolFailure.self) {
                try await ExternalTool.skopeo.run([
                    "copy", "--dest-tls-verify=false", "--dest-creds", "bob:bob-secret", "oci:\(layout):v2",
                    "docker://\(registry)/team/other:v2",
                ])
            }
            await #expect(throws: ToolFailure.self) {
                try await ExternalTool.skopeo.run([
                    "inspect", "--raw", "--tls-verify=false", "docker://\(registry)/team/app:v2",
                ])
            }
        }
        #expect(try await OCILayoutStore(root: back, create: false).resolve("v2").digest == expected.digest)
    }

    @Test("Distribution accepts the tokens Wharf's token service issues (libtrust key ID, ES256, claims)")
    func distributionTrustsWharfTokens() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let options = try await TokenAccessControlTests.options(in: directory.path)
        let distributionRoot = directory.appending("distribution-root")
        let configDirectory = directory.path
        try await withRegistry(options: options) { client in
            let wharf = "127.0.0.1:\(try #require(client.port))"
            let auth = TokenRegistryFixture.distributionAuth(wharf: wharf, directory: configDirectory)
            try await DistributionRegistry.with(
                root: distributionRoot, configDirectory: configDirectory, extraConfiguration: auth
            ) { distribution in
                let reference = "docker://\(distribution.address)/team/app:v2"
                try await ExternalTool.skopeo.run([
                    "copy", "--dest-tls-verify=false", "--dest-creds", "alice:alice-secret",
                    "--preserve-digests",
                    "oci:\(layout):v2", reference,
                ])
                let raw = try await ExternalTool.skopeo.run([
                    "inspect", "--raw", "--tls-verify=false", "--creds", "bob:bob-secret", reference,
                ])
                #expect(raw == (try await ExternalTool.skopeo.run(["inspect", "--raw", "oci:\(layout):v2"])))
                await #expect(
                    throws: ToolFailure.self, "bob's token lists pull only; Distribution refuses the push"
                ) {
                    try await ExternalTool.skopeo.run([
                        "copy", "--dest-tls-verify=false", "--dest-creds", "bob:bob-secret",
                        "oci:\(layout):v2",
                        "docker://\(distribution.address)/team/bob:v2",
                    ])
                }
            }
        }
    }
}
