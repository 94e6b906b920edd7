import Foundation
import HummingbirdTesting
import Testing
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

/// More independent registry clients: podman (containers/image, the library behind skopeo
/// and buildah, through an engine with its own storage), containerd (the resolver and
/// pusher Kubernetes nodes use) and the Docker daemon (its own distribution client).
@Suite(
    "Interop with podman, containerd and Docker",
    .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.podman.shouldRun
            && ExternalTool.containerd.shouldRun && ExternalTool.ctr.shouldRun
            && ExternalTool.dockerd.shouldRun
            && ExternalTool.docker.shouldRun))
struct ContainerEngineInteropTests {
    /// Pushes the real umoci image to `registry` as `team/app:v2` and returns its manifest.
    static func seed(
        _ registry: String, workingDirectory: String
    ) async throws -> (Descriptor, ImageManifest) {
        let layout = workingDirectory + "/layout"
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: workingDirectory)
        let source = try await OCILayoutStore(root: layout, create: false)
        let root = try await source.resolve("v2")
        let manifest = try ImageManifest.decode(
            Data(try await source.fetch(root).collect(upTo: 1 << 20).readableBytesView))
        try await ExternalTool.skopeo.run([
            "copy", "--dest-tls-verify=false", "--preserve-digests", "oci:\(layout):v2",
            "docker://\(registry)/team/app:v2",
        ])
        return (root, manifest)
    }

    /// The manifest `registry` serves for `reference`, as skopeo reads it.
    static func served(_ reference: String) async throws -> [UInt8] {
        Array(
            try await ExternalTool.skopeo.run([
                "inspect", "--raw", "--tls-verify=false", "docker://\(reference)",
            ]).utf8)
    }

    @Test("podman pulls an image from Wharf, pushes it to another repository and pulls that back")
    func podman() async throws {
        let directory = try TemporaryDirectory()
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: directory.appending("root")))
        let workdir = directory.path
        try await withRegistry(store: store) { client in
            let registry = "127.0.0.1:\(try #require(client.port))"
            let (_, manifest) = try await Self.seed(registry, workingDirectory: workdir)
            // Its own storage in the test's directory; vfs needs no kernel overlay support.
            let podman = [
                "--root", workdir + "/podman-root", "--runroot", workdir + "/podman-run",
                "--storage-driver", "vfs",
            ]
            let pulled = try await ExternalTool.podman.run(
                podman + ["pull", "--quiet", "--tls-verify=false", "\(registry)/team/app:v2"])
            // podman's image ID is the config digest: the same image arrived.
            #expect(pulled.trimmingCharacters(in: .whitespacesAndNewlines) == manifest.config.digest.encoded)
            try await ExternalTool.podman.run(
                podman + [
                    "push", "--tls-verify=false", "\(registry)/team/app:v2", "\(registry)/podman/copy:v1",
                ])
            // podman recompresses layers as it pushes, so the manifest differs; the config
            // (and with it every layer's uncompressed digest) must not.
            let copy = try ImageManifest.decode(Data(try await Self.served("\(registry)/podman/copy:v1")))
            #expect(copy.config.digest == manifest.config.digest)
            #expect(copy.layers.count == manifest.layers.count)
            try await ExternalTool.podman.run(podman + ["rmi", "--all", "--force"])
            let again = try await ExternalTool.podman.run(
                podman + ["pull", "--quiet", "--tls-verify=false", "\(registry)/podman/copy:v1"])
            #expect(again.trimmingCharacters(in: .whitespacesAndNewlines) == manifest.config.digest.encoded)
        }
    }

    @Test(
        "containerd pulls and unpacks an image from Wharf and pushes it to another repository byte-identical")
    func containerd() async throws {
        let directory = try TemporaryDirectory()
        let socket = directory.appending("containerd.sock")
        try """
        version = 2
        root = "\(directory.appending("containerd-root"))"
        state = "\(directory.appending("containerd-state"))"
        disabled_plugins = ["io.containerd.grpc.v1.cri"]
        [grpc]
          address = "\(socket)"
        """.write(toFile: directory.appending("containerd.toml"), atomically: true, encoding: .utf8)
        let daemon = try InteractiveProcess(
            try #require(ExternalTool.containerd.path), ["--config", directory.appending("containerd.toml")],
            mergingStandardError: true)
        defer { daemon.terminate() }
        let booted = await daemon.waitForLine { $0.contains("containerd successfully booted") }
        try #require(booted != nil, "containerd did not start")

        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: directory.appending("root")))
        let workdir = directory.path
        try await withRegistry(store: store) { client in
            let registry = "127.0.0.1:\(try #require(client.port))"
            let (root, _) = try await Self.seed(registry, workingDirectory: workdir)
            let ctr = ["--address", socket, "--namespace", "wharf-test"]
            // The pull verifies every blob's digest and unpacks the layers into a snapshot.
            try await ExternalTool.ctr.run(
                ctr + ["images", "pull", "--plain-http", "\(registry)/team/app:v2"])
            let listed = try await ExternalTool.ctr.run(ctr + ["images", "list", "--quiet"])
            #expect(listed.contains("\(registry)/team/app:v2"))
            try await ExternalTool.ctr.run(
                ctr + [
                    "images", "push", "--plain-http", "\(registry)/ctr/copy:v1", "\(registry)/team/app:v2",
                ])
            #expect(DigestHasher.digest(of: try await Self.served("\(registry)/ctr/copy:v1")) == root.digest)
        }
        daemon.terminate()
        _ = await daemon.waitForExit()
    }

    @Test(
        "Docker pulls from Wharf, pushes to another repository by cross-repository mount, and pulls that back"
    )
    func docker() async throws {
        let directory = try TemporaryDirectory()
        let socket = directory.appending("docker.sock")
        // No network setup (no bridge, no iptables) and vfs storage: nothing of the host's
        // is touched, and no kernel features beyond what a container build host has.
        let daemon = try InteractiveProcess(
            try #require(ExternalTool.dockerd.path),
            [
                "--data-root", directory.appending("docker-data"), "--exec-root",
                directory.appending("docker-exec"),
                "--pidfile", directory.appending("docker.pid"), "--host", "unix://\(socket)",
                "--iptables=false",
                "--ip6tables=false", "--bridge=none", "--storage-driver=vfs",
            ],
            mergingStandardError: true)
        defer { daemon.terminate() }
        let ready = await daemon.waitForLine { $0.contains("API listen on") }
        try #require(ready != nil, "dockerd did not start")

        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: directory.appending("root")))
        let workdir = directory.path
        try await withRegistry(store: store) { client in
            let registry = "127.0.0.1:\(try #require(client.port))"
            let (_, manifest) = try await Self.seed(registry, workingDirectory: workdir)
            let docker = ["--host", "unix://\(socket)"]
            // Docker treats loopback registries as insecure (plain HTTP) without configuration.
            try await ExternalTool.docker.run(docker + ["pull", "\(registry)/team/app:v2"])
            let id = try await ExternalTool.docker.run(
                docker + ["image", "inspect", "--format", "{{.Id}}", "\(registry)/team/app:v2"])
            #expect(id.trimmingCharacters(in: .whitespacesAndNewlines) == manifest.config.digest.description)
            try await ExternalTool.docker.run(
                docker + ["tag", "\(registry)/team/app:v2", "\(registry)/docker/copy:v1"])
            let pushed = try await ExternalTool.docker.run(docker + ["push", "\(registry)/docker/copy:v1"])
            // The layers already live in team/app: Docker asks to mount them, and Wharf does.
            #expect(pushed.contains("Mounted from team/app"), "\(pushed)")
            let copy = try ImageManifest.decode(Data(try await Self.served("\(registry)/docker/copy:v1")))
            #expect(copy.config.digest == manifest.config.digest)
            try await ExternalTool.docker.run(
                docker + ["rmi", "\(registry)/docker/copy:v1", "\(registry)/team/app:v2"])
            try await ExternalTool.docker.run(docker + ["pull", "\(registry)/docker/copy:v1"])
            let again = try await ExternalTool.docker.run(
                docker + ["image", "inspect", "--format", "{{.Id}}", "\(registry)/docker/copy:v1"])
            #expect(
                again.trimmingCharacters(in: .whitespacesAndNewlines) == manifest.config.digest.description)
        }
        daemon.terminate()
        _ = await daemon.waitForExit()
    }
}
