public import Testing

extension Tag {
    /// Tests that drive a real external peer or oracle (skopeo, Distribution, podman,
    /// containerd, Docker, debootstrap, Python oracles, ...): slower, and skipped loudly when
    /// the tool is missing. `swift test --skip-tags interop`... see README for the command.
    @Tag public static var interop: Tag
}
