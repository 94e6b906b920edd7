import Foundation
import Testing
import WharfContent

@Suite("Descriptors")
struct DescriptorTests {
    static let digest = "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270"

    static func decode(_ json: String) throws -> Descriptor {
        try JSONDecoder().decode(Descriptor.self, from: Data(json.utf8))
    }

    @Test("decodes every field of the image-spec descriptor")
    func decodesAllFields() throws {
        let descriptor = try Self.decode(
            """
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\(Self.digest)","size":7682,
             "urls":["https://example.com/x"],"annotations":{"a":"b"},"artifactType":"application/vnd.example+type",
             "platform":{"architecture":"arm64","os":"linux","variant":"v8","os.version":"10","os.features":["f"]}}
            """)
        #expect(descriptor.mediaType == .ociManifest)
        #expect(descriptor.digest.description == Self.digest)
        #expect(descriptor.size == 7682)
        #expect(descriptor.urls == ["https://example.com/x"])
        #expect(descriptor.annotations == ["a": "b"])
        #expect(descriptor.artifactType == "application/vnd.example+type")
        #expect(
            descriptor.platform
                == Platform(
                    os: "linux", architecture: "arm64", variant: "v8", osVersion: "10", osFeatures: ["f"]))
    }

    @Test("rejects a negative size, naming the field")
    func rejectsNegativeSize() {
        #expect {
            try Self.decode(#"{"mediaType":"application/octet-stream","digest":"\#(Self.digest)","size":-1}"#)
        } throws: { error in
            "\(error)".contains("size must not be negative")
        }
    }

    @Test("rejects a missing or malformed digest and a malformed media type")
    func rejectsBadFields() {
        #expect(throws: DecodingError.self) { try Self.decode(#"{"mediaType":"a/b","size":1}"#) }
        #expect(throws: DecodingError.self) {
            try Self.decode(#"{"mediaType":"a/b","digest":"sha256:zz","size":1}"#)
        }
        #expect(throws: DecodingError.self) {
            try Self.decode(#"{"mediaType":"not a type","digest":"\#(Self.digest)","size":1}"#)
        }
        #expect(throws: DecodingError.self) {
            try Self.decode(#"{"mediaType":"a/b","digest":"\#(Self.digest)","size":"1"}"#)
        }
    }

    @Test("accepts embedded data only when it matches digest and size")
    func embeddedData() throws {
        let empty = try Self.decode(
            #"{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e30="}"#
        )
        #expect(empty == Descriptor.empty)
        #expect(throws: DecodingError.self) {
            try Self.decode(
                #"{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e3w="}"#
            )
        }
    }

    @Test("the empty descriptor is the image-spec constant")
    func emptyDescriptorConstant() {
        #expect(
            Descriptor.empty.digest.description
                == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
        #expect(Descriptor.empty.size == 2)
        #expect(Descriptor.empty.mediaType == .ociEmpty)
    }

    @Test("media types compare by essence and classify manifests, indexes and foreign layers")
    func mediaTypeClassification() {
        #expect(
            OCIMediaType(rawValue: "application/vnd.oci.image.manifest.v1+json; charset=utf-8")
                .isImageManifest)
        #expect(OCIMediaType.dockerManifestList.isIndex)
        #expect(!OCIMediaType.ociLayerGzip.isManifest)
        #expect(OCIMediaType.dockerForeignLayerGzip.isNondistributable)
        #expect(!OCIMediaType(rawValue: "application").isWellFormed)
        #expect(!OCIMediaType(rawValue: "application/").isWellFormed)
        #expect(OCIMediaType(rawValue: "application/vnd.cncf.helm.config.v1+json").isWellFormed)
    }
}
