import WharfContent

/// Resolving and tagging references.
enum ReferenceChecks {
    static let all: [ContentStoreTestKit.Check] = [
        .init(
            name: "a manifest resolves by its digest to its descriptor (media type, digest and size)",
            capability: nil
        ) { store in
            var content = TestContent()
            let image = try content.image()
            try await TestContent.push(image, to: store)
            let resolved = try await store.resolve(image.manifest.descriptor.digest.description)
            try expect(
                identity(resolved) == identity(image.manifest.descriptor),
                "resolved \(identity(resolved)), expected \(identity(image.manifest.descriptor))")
        },
        .init(name: "a tag resolves to the manifest it names, and tagging again moves it", capability: nil) {
            store in
            var content = TestContent()
            let first = try content.image()
            let second = try content.image()
            try await TestContent.push(first, to: store)
            try await TestContent.push(second, to: store)
            try await store.tag(first.manifest.descriptor, as: "v1")
            try expect(
                identity(try await store.resolve("v1")) == identity(first.manifest.descriptor),
                "v1 after tagging")
            try await store.tag(second.manifest.descriptor, as: "v1")
            try expect(
                identity(try await store.resolve("v1")) == identity(second.manifest.descriptor),
                "v1 after moving it")
            try expect(
                try await fetchAll(store, try await store.resolve("v1")) == second.manifest.bytes,
                "bytes by tag")
        },
        .init(
            name: "resolving an unknown tag or digest fails with ContentError.referenceNotFound",
            capability: nil
        ) {
            store in
            var content = TestContent()
            let image = try content.image()
            try await expectError("ContentError.referenceNotFound", isReferenceNotFound) {
                _ = try await store.resolve("never-tagged")
            }
            try await expectError("ContentError.referenceNotFound", isReferenceNotFound) {
                _ = try await store.resolve(image.manifest.descriptor.digest.description)
            }
        },
        .init(name: "tagging a manifest the store lacks fails with ContentError.notFound", capability: nil) {
            store in
            var content = TestContent()
            let image = try content.image()
            try await expectError("ContentError.notFound", isNotFound(image.manifest.descriptor.digest)) {
                try await store.tag(image.manifest.descriptor, as: "dangling")
            }
            try await expectError("ContentError.referenceNotFound", isReferenceNotFound) {
                _ = try await store.resolve("dangling")
            }
        },
    ]
}
