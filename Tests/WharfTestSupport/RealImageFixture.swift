public import Foundation

/// Real OCI layouts built by independent tools: umoci creates and repacks images the way
/// image builders do, and skopeo converts them to Docker schema 2.
public enum RealImageFixture {
    /// Builds an OCI layout at `layout` with umoci: tag `base` (no layers), `v1` (one gzip
    /// layer adding `/etc/hello`), and `v2` (v1 plus a second layer adding `/etc/world` and
    /// a symlink, and `WHARF=1` in its environment). Returns the tags created.
    @discardableResult
    public static func makeUmociLayout(at layout: String, workingDirectory: String) async throws -> [String] {
        let umoci = ExternalTool.umoci
        let bundle = "\(workingDirectory)/bundle-\(UUID().uuidString.prefix(6))"
        try await umoci.run(["init", "--layout", layout])
        try await umoci.run(["new", "--image", "\(layout):base"])
        try await umoci.run(["unpack", "--rootless", "--image", "\(layout):base", bundle])
        let rootfs = "\(bundle)/rootfs"
        try FileManager.default.createDirectory(atPath: "\(rootfs)/etc", withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: "\(rootfs)/etc/hello"))
        try await umoci.run(["repack", "--image", "\(layout):v1", bundle])
        let second = bundle + "-v2"
        try await umoci.run(["unpack", "--rootless", "--image", "\(layout):v1", second])
        let rootfs2 = "\(second)/rootfs"
        try Data(repeating: 0x61, count: 300_000).write(to: URL(fileURLWithPath: "\(rootfs2)/etc/world"))
        try FileManager.default.createSymbolicLink(
            atPath: "\(rootfs2)/etc/link", withDestinationPath: "hello")
        try await umoci.run(["repack", "--image", "\(layout):v2", second])
        try await umoci.run(["config", "--image", "\(layout):v2", "--config.env", "WHARF=1", "--tag", "v2"])
        return ["base", "v1", "v2"]
    }
}
