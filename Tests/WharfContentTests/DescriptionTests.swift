import Testing
import WharfContent

@Suite("Values print readably")
struct DescriptionTests {
    @Test("descriptors, copy events and summaries print digest, type, size and platform")
    func readable() throws {
        let digest = try OCIDigest(parsing: "sha256:" + String(repeating: "ab", count: 32))
        var descriptor = Descriptor(mediaType: .ociManifest, digest: digest, size: 1234)
        #expect("\(descriptor)" == "\(digest) (application/vnd.oci.image.manifest.v1+json, 1234 bytes)")
        descriptor.platform = Platform(os: "linux", architecture: "arm64", variant: "v8")
        #expect("\(descriptor)".hasSuffix(", 1234 bytes, linux/arm64/v8)"))
        #expect("\(CopyEvent.mounted(descriptor, from: "team/base"))".hasPrefix("mounted \(digest) ("))
        #expect("\(CopyEvent.transferred(descriptor, bytes: 10))".hasPrefix("transferred 10 of \(digest)"))
        let summary = CopySummary(root: descriptor, transferred: 3, skipped: 2, bytes: 99, mounted: 1)
        #expect("\(summary)".hasSuffix(": 3 transferred (99 bytes), 2 skipped, 1 mounted"))
    }

    @Test("not-found errors name the store they come from")
    func notFoundNamesTheStore() throws {
        let digest = try OCIDigest(parsing: "sha256:" + String(repeating: "cd", count: 32))
        #expect(
            "\(ContentError.referenceNotFound("v1", location: "registry.example.com/team/app"))"
                == #"reference not found: "v1" in "registry.example.com/team/app""#)
        #expect(
            "\(ContentError.notFound(digest, location: "oci:./layout"))".hasSuffix(#" in "oci:./layout""#))
        #expect("\(ContentError.notFound(digest))" == "content not found: \(digest)")
    }
}
