import WharfContent

/// The optional capabilities, each checked only for stores that claim it.
enum CapabilityChecks {
    static let all: [ContentStoreTestKit.Check] = [
        .init(
            name: "push(_:content:reference:) stores a manifest and names it in one step",
            capability: .referencePush
        ) {
            store in
            let pusher = try capability(store, as: (any ReferencePusher).self, .referencePush)
            var content = TestContent()
            let image = try content.image()
            for blob in image.blobs {
                try await store.push(blob.descriptor, content: ByteStream(ByteBuffer(bytes: blob.bytes)))
            }
            try await pusher.push(
                image.manifest.descriptor, content: ByteStream(ByteBuffer(bytes: image.manifest.bytes)),
                reference: "pushed")
            try expect(
                identity(try await store.resolve("pushed")) == identity(image.manifest.descriptor),
                "pushed tag")
            try expect(
                try await fetchAll(store, image.manifest.descriptor) == image.manifest.bytes, "pushed bytes")
        },
        .init(
            name: "delete removes a manifest (and its tags) and a blob; deleting again fails with notFound",
            capability: .delete
        ) {
            store in
            let deleter = try capability(store, as: (any ContentDeleter).self, .delete)
            var content = TestContent()
            let image = try content.image()
            try await TestContent.push(image, to: store)
            try await store.tag(image.manifest.descriptor, as: "doomed")
            try await deleter.delete(image.manifest.descriptor)
            try expect(try await !store.exists(image.manifest.descriptor), "a deleted manifest exists")
            try await expectError("ContentError.referenceNotFound", isReferenceNotFound) {
                _ = try await store.resolve("doomed")
            }
            let layer = image.blobs[1].descriptor
            try await deleter.delete(layer)
            try expect(try await !store.exists(layer), "a deleted blob exists")
            try await expectError("ContentError.notFound", isNotFound(layer.digest)) {
                _ = try await fetchAll(store, layer)
            }
            try await expectError("ContentError.notFound", isNotFound(layer.digest)) {
                try await deleter.delete(layer)
            }
        },
        .init(
            name:
                "referrers(of:) lists manifests pushed with that subject, with artifact types, filtered by type",
            capability: .referrers
        ) {
            store in
            let lister = try capability(store, as: (any ReferrerLister).self, .referrers)
            var content = TestContent()
            let subject = try content.image()
            try await TestContent.push(subject, to: store)
            let sbom = try content.image(
                layers: 1, subject: subject.manifest.descriptor, artifactType: "application/spdx+json")
            let signature = try content.image(
                layers: 1, subject: subject.manifest.descriptor,
                artifactType: "application/vnd.dev.cosign.artifact.sig.v1+json")
            try await TestContent.push(sbom, to: store)
            try await TestContent.push(signature, to: store)
            let all = try await lister.referrers(of: subject.manifest.descriptor, artifactType: nil)
            try expect(
                Set(all.map(\.digest)) == [
                    sbom.manifest.descriptor.digest, signature.manifest.descriptor.digest,
                ],
                "referrers: \(all.map(\.digest))")
            try expect(
                all.first { $0.digest == sbom.manifest.descriptor.digest }?.artifactType
                    == "application/spdx+json",
                "a referrer's artifactType")
            let filtered = try await lister.referrers(
                of: subject.manifest.descriptor, artifactType: "application/spdx+json")
            try expect(
                filtered.map(\.digest) == [sbom.manifest.descriptor.digest], "filtered referrers: \(filtered)"
            )
        },
        .init(name: "tags() lists every tag once, sorted", capability: .tagListing) { store in
            let lister = try capability(store, as: (any TagLister).self, .tagListing)
            var content = TestContent()
            let image = try content.image()
            try await TestContent.push(image, to: store)
            for tag in ["v2", "latest", "v1", "v10"] {
                try await store.tag(image.manifest.descriptor, as: tag)
            }
            try await store.tag(image.manifest.descriptor, as: "v1")
            let tags = try await lister.tags()
            try expect(tags == ["latest", "v1", "v10", "v2"], "tags: \(tags)")
        },
    ]

    /// `store` as the capability's protocol, or a failure saying it lacks it.
    private static func capability<T>(
        _ store: any ContentTarget, as type: T.Type, _ capability: ContentStoreTestKit.Capability
    ) throws -> T {
        guard let typed = store as? T else {
            throw ContentStoreCheckFailure(message: "the store does not offer the \(capability) capability")
        }
        return typed
    }
}
