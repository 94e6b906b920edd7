import Testing
import WharfImage

@Suite("Platforms")
struct PlatformTests {
    @Test(
        "normalises architecture names and default variants",
        arguments: [
            ("linux/x86_64", "linux/amd64"), ("Linux/AMD64", "linux/amd64"),
            ("linux/aarch64", "linux/arm64/v8"),
            ("linux/arm64", "linux/arm64/v8"), ("linux/arm64/8", "linux/arm64/v8"),
            ("linux/armhf", "linux/arm/v7"),
            ("linux/armel", "linux/arm/v6"), ("linux/arm", "linux/arm/v7"), ("linux/arm/6", "linux/arm/v6"),
            ("linux/i386", "linux/386"), ("macos/arm64", "darwin/arm64/v8"), ("linux/s390x", "linux/s390x"),
        ])
    func normalisation(input: String, expected: String) throws {
        #expect(try Platform(parsing: input).description == expected)
    }

    @Test(
        "rejects malformed platform strings",
        arguments: ["linux", "linux/", "/amd64", "a/b/c/d", "linux/amd 64", "linux/../x"])
    func rejectsMalformed(input: String) {
        #expect(throws: ImageSpecError.self) { try Platform(parsing: input) }
    }

    @Test("matches equal platforms after normalisation and nothing else")
    func matching() {
        let arm64 = Platform(os: "linux", architecture: "arm64")
        #expect(arm64.matches(Platform(os: "linux", architecture: "aarch64", variant: "v8")))
        #expect(!arm64.matches(Platform(os: "linux", architecture: "arm", variant: "v8")))
        #expect(!arm64.matches(Platform(os: "windows", architecture: "arm64")))
        let windows = Platform(os: "windows", architecture: "amd64", osVersion: "10.0.17763.1")
        #expect(!windows.matches(Platform(os: "windows", architecture: "amd64", osVersion: "10.0.20348.1")))
    }

    @Test("chooses the exact platform from an index, then the closest older arm variant")
    func chooseFromIndex() throws {
        func entry(_ platform: String) throws -> Descriptor {
            var descriptor = Descriptor(mediaType: .ociManifest, bytes: Array(platform.utf8))
            descriptor.platform = try Platform(parsing: platform)
            return descriptor
        }
        let index = ImageIndex(
            manifests: try ["linux/amd64", "linux/arm/v5", "linux/arm/v6", "linux/arm64"].map(entry))
        #expect(
            index.manifest(for: try Platform(parsing: "linux/aarch64"))?.platform?.description
                == "linux/arm64/v8")
        #expect(
            index.manifest(for: try Platform(parsing: "linux/arm/v7"))?.platform?.description
                == "linux/arm/v6")
        #expect(index.manifest(for: try Platform(parsing: "linux/ppc64le")) == nil)
        #if arch(x86_64) && os(Linux)
            #expect(index.manifest()?.platform?.description == "linux/amd64", "defaults to the host platform")
        #endif
    }
}
