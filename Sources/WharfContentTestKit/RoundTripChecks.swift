import WharfContent

/// Push, fetch and exists: bytes in are the bytes out.
enum RoundTripChecks {
    static let all: [ContentStoreTestKit.Check] = [
        .init(
            name: "push then fetch returns the same bytes, for small, empty and multi-megabyte blobs",
            capability: nil
        ) { store in
            var content = TestContent()
            for size in [1, 0, 5 << 20 + 123] {
                let blob = content.blob(size)
                try await store.push(blob.descriptor, content: ByteStream(ByteBuffer(bytes: blob.bytes)))
                try expect(
                    try await fetchAll(store, blob.descriptor) == blob.bytes, "bytes of a \(size)-byte blob")
            }
        },
        .init(name: "exists is false before a push and true after, for blobs and manifests", capability: nil)
        {
            store in
            var content = TestContent()
            let image = try content.image()
            for blob in image.blobs + [image.manifest] {
                try expect(
                    try await !store.exists(blob.descriptor),
                    "\(blob.descriptor.digest) exists before its push")
            }
            try await TestContent.push(image, to: store)
            for blob in image.blobs + [image.manifest] {
                try expect(
                    try await store.exists(blob.descriptor),
                    "\(blob.descriptor.digest) missing after its push")
            }
        },
        .init(
            name: "fetch of content the store lacks fails with ContentError.notFound naming its digest",
            capability: nil
        ) { store in
            var content = TestContent()
            let image = try content.image()
            for missing in [image.blobs[1].descriptor, image.manifest.descriptor] {
                try await expectError("ContentError.notFound(\(missing.digest))", isNotFound(missing.digest))
                {
                    _ = try await fetchAll(store, missing)
                }
            }
        },
        .init(name: "pushing content the store holds again succeeds and leaves it as it was", capability: nil)
        {
            store in
            var content = TestContent()
            let image = try content.image()
            try await TestContent.push(image, to: store)
            try await TestContent.push(image, to: store)
            try expect(
                try await fetchAll(store, image.manifest.descriptor) == image.manifest.bytes,
                "manifest after a repeat")
            try expect(
                try await fetchAll(store, image.blobs[1].descriptor) == image.blobs[1].bytes,
                "layer after a repeat")
        },
        .init(name: "a manifest and an index keep their exact bytes", capability: nil) { store in
            var content = TestContent()
            let first = try content.image()
            let second = try content.image(layers: 1)
            try await TestContent.push(first, to: store)
            try await TestContent.push(second, to: store)
            let index = try content.index(of: [first.manifest.descriptor, second.manifest.descriptor])
            try await store.push(index.descriptor, content: ByteStream(ByteBuffer(bytes: index.bytes)))
            try expect(
                try await fetchAll(store, first.manifest.descriptor) == first.manifest.bytes, "manifest bytes"
            )
            try expect(try await fetchAll(store, index.descriptor) == index.bytes, "index bytes")
        },
        .init(name: "concurrent pushes of one blob all succeed and store it once, intact", capability: nil) {
            store in
            var content = TestContent()
            let blob = content.blob(300_000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await store.push(
                            blob.descriptor, content: ByteStream(ByteBuffer(bytes: blob.bytes)))
                    }
                }
                try await group.waitForAll()
            }
            try expect(
                try await fetchAll(store, blob.descriptor) == blob.bytes, "bytes after concurrent pushes")
        },
    ]
}
