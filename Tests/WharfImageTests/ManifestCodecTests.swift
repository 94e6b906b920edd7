import Foundation
import Testing
import WharfImage

@Suite("Manifest and index codecs")
struct ManifestCodecTests {
    static let configDigest = "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"
    static let layerDigest = "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0"

    static func manifestJSON(
        extra: String = "", schemaVersion: Int = 2,
        mediaType: String? = "application/vnd.oci.image.manifest.v1+json", layerSize: Int = 32654
    ) -> Data {
        let mediaTypeField = mediaType.map { #""mediaType":"\#($0)","# } ?? ""
        return Data(
            """
            {"schemaVersion":\(schemaVersion),\(mediaTypeField)\(extra)
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(configDigest)","size":7023},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\(layerDigest)","size":\(layerSize)}],
             "annotations":{"com.example.key1":"value1"}}
            """.utf8)
    }

    @Test("decodes an OCI image manifest")
    func decodesManifest() throws {
        let manifest = try ImageManifest.decode(Self.manifestJSON())
        #expect(manifest.schemaVersion == 2)
        #expect(manifest.format == .ociManifest)
        #expect(manifest.config.mediaType == .ociConfig)
        #expect(manifest.layers.map(\.size) == [32654])
        #expect(manifest.annotations == ["com.example.key1": "value1"])
    }

    @Test("names the field at fault when rejecting a manifest")
    func namesFieldAtFault() {
        func fault(_ bytes: Data, expected: OCIMediaType? = nil) -> ImageSpecError? {
            do {
                _ = try ImageManifest.decode(bytes, expected: expected)
                return nil
            } catch { return error }
        }
        #expect(fault(Self.manifestJSON(schemaVersion: 1))?.field == "schemaVersion")
        #expect(fault(Self.manifestJSON(layerSize: -5))?.field == "layers[0].size")
        #expect(fault(Data(#"{"schemaVersion":2,"layers":[]}"#.utf8))?.field == "config")
        #expect(
            fault(
                Data(
                    #"{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"\#(Self.configDigest)","size":1}}"#
                        .utf8))?.field == "layers")
        #expect(fault(Self.manifestJSON(), expected: .dockerManifest)?.field == "mediaType")
        #expect(fault(Self.manifestJSON(mediaType: nil), expected: .dockerManifest)?.field == "mediaType")
        #expect(
            fault(Self.manifestJSON(mediaType: "application/vnd.oci.image.index.v1+json"))?.field
                == "mediaType")
        #expect(fault(Data("{not json".utf8))?.reason.contains("not valid JSON") == true)
    }

    @Test("keeps the exact bytes, so unknown fields and formatting survive and the digest is of the bytes")
    func exactBytesSurvive() throws {
        let bytes = Self.manifestJSON(extra: #""x-unknown":{"nested":[1,2,3]},"#)
        let document = try ManifestDocument(bytes: bytes)
        #expect(document.bytes == bytes)
        #expect(document.descriptor.digest == DigestHasher.digest(of: bytes))
        #expect(document.descriptor.size == Int64(bytes.count))
        #expect(document.descriptor.mediaType == .ociManifest)
        #expect(String(decoding: document.bytes, as: UTF8.self).contains("x-unknown"))
    }

    @Test("encodes new values deterministically, and they decode to the same value")
    func deterministicEncoding() throws {
        let manifest = ImageManifest(
            config: Descriptor.empty, layers: [], artifactType: "application/vnd.example+json",
            subject: Descriptor(mediaType: .ociManifest, bytes: Array("s".utf8)),
            annotations: ["b": "2", "a": "1", "c": "3"])
        let first = try manifest.encoded()
        for _ in 0..<20 { #expect(try manifest.encoded() == first) }
        #expect(try ImageManifest.decode(first) == manifest)
        #expect(String(decoding: first, as: UTF8.self).contains(#""annotations":{"a":"1","b":"2","c":"3"}"#))
        #expect(!String(decoding: first, as: UTF8.self).contains(#"\/"#), "slashes are not escaped")
    }

    @Test("works out the media type from the declared type, the mediaType field, or the shape")
    func mediaTypeDetection() throws {
        #expect(
            try ManifestDocument.mediaType(of: Self.manifestJSON(mediaType: nil), declared: nil)
                == .ociManifest)
        #expect(
            try ManifestDocument.mediaType(
                of: Data(#"{"schemaVersion":2,"manifests":[]}"#.utf8), declared: nil) == .ociIndex)
        let docker = Data(
            #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[]}"#
                .utf8)
        #expect(try ManifestDocument(bytes: docker).descriptor.mediaType == .dockerManifestList)
        #expect(throws: ImageSpecError.self) {
            try ManifestDocument(bytes: Data(#"{"schemaVersion":1,"name":"x","fsLayers":[]}"#.utf8))
        }
        #expect(throws: ImageSpecError.self) {
            try ManifestDocument(bytes: Data(#"{"schemaVersion":2,"manifests":[],"config":{}}"#.utf8))
        }
    }

    @Test("an index decodes with platforms and subject; a Docker manifest list requires platforms")
    func indexCodec() throws {
        let entry =
            #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(Self.configDigest)","size":7143"#
        let index = try ImageIndex.decode(
            Data(
                #"{"schemaVersion":2,"manifests":[\#(entry),"platform":{"architecture":"ppc64le","os":"linux"}},\#(entry),"platform":{"architecture":"amd64","os":"linux"}}],"subject":\#(entry)}}"#
                    .utf8))
        #expect(index.manifests.compactMap(\.platform?.architecture) == ["ppc64le", "amd64"])
        #expect(index.subject?.size == 7143)
        #expect(
            throws: ImageSpecError(
                field: "manifests[0].platform", reason: "is required in a Docker manifest list")
        ) {
            try ImageIndex.decode(
                Data(
                    #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[\#(entry)}]}"#
                        .utf8))
        }
    }

    @Test("decodes an image configuration with history, diff IDs and execution defaults")
    func configurationCodec() throws {
        let configuration = try ImageConfiguration.decode(
            Data(
                """
                {"created":"2015-10-31T22:22:56.015925234Z","author":"Alyssa","architecture":"arm64","variant":"v8","os":"linux",
                 "config":{"User":"alice","ExposedPorts":{"8080/tcp":{}},"Env":["PATH=/usr/bin"],"Entrypoint":["/bin/app"],
                  "Cmd":null,"Volumes":{"/data":{}},"WorkingDir":"/home","Labels":{"l":"v"},"StopSignal":"SIGTERM"},
                 "rootfs":{"type":"layers","diff_ids":["\(Self.layerDigest)"]},
                 "history":[{"created":"2015-10-31T22:22:54.690851953Z","created_by":"/bin/sh -c #(nop) ADD file","empty_layer":false}]}
                """.utf8))
        #expect(configuration.platform == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(configuration.rootfs.diffIDs.map(\.description) == [Self.layerDigest])
        #expect(configuration.config?.exposedPorts?.keys.sorted() == ["8080/tcp"])
        #expect(configuration.config?.cmd == nil)
        #expect(configuration.history?.first?.createdBy == "/bin/sh -c #(nop) ADD file")
        #expect(throws: ImageSpecError.self) {
            try ImageConfiguration.decode(
                Data(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"tar","diff_ids":[]}}"#.utf8))
        }
        #expect(throws: ImageSpecError(field: "rootfs", reason: "is required but missing")) {
            try ImageConfiguration.decode(Data(#"{"architecture":"amd64","os":"linux"}"#.utf8))
        }
    }
}
