import WharfContent

/// A store verifies what is pushed before it becomes visible.
enum VerificationChecks {
    static let all: [ContentStoreTestKit.Check] = [
        .init(
            name: "a push whose bytes do not hash to the digest fails with digestMismatch and stores nothing",
            capability: nil
        ) { store in
            var content = TestContent()
            let blob = content.blob(70_000)
            var wrong = blob.bytes
            wrong[wrong.count / 2] ^= 0xff
            try await expectError("ContentError.digestMismatch", isDigestMismatch) {
                try await store.push(blob.descriptor, content: ByteStream(ByteBuffer(bytes: wrong)))
            }
            try expect(try await !store.exists(blob.descriptor), "a blob that failed verification is visible")
        },
        .init(
            name: "a push of fewer or more bytes than the size fails with sizeMismatch and stores nothing",
            capability: nil
        ) { store in
            var content = TestContent()
            let blob = content.blob(40_000)
            var longer = blob.descriptor
            longer.size += 1
            try await expectError("ContentError.sizeMismatch for a short stream", isSizeMismatch) {
                try await store.push(longer, content: ByteStream(ByteBuffer(bytes: blob.bytes)))
            }
            try expect(try await !store.exists(longer), "a short push left content behind")
            let trailing = blob.bytes + [1, 2, 3]
            try await expectError("ContentError.sizeMismatch for a long stream", isSizeMismatch) {
                try await store.push(blob.descriptor, content: ByteStream(ByteBuffer(bytes: trailing)))
            }
            try expect(try await !store.exists(blob.descriptor), "a long push left content behind")
        },
        .init(
            name: "a manifest whose bytes do not match its digest is refused and not stored", capability: nil
        ) {
            store in
            var content = TestContent()
            let image = try content.image()
            for blob in image.blobs {
                try await store.push(blob.descriptor, content: ByteStream(ByteBuffer(bytes: blob.bytes)))
            }
            let other = try content.image()
            var claimed = image.manifest.descriptor
            claimed.size = other.manifest.descriptor.size
            try await expectError(
                "ContentError.digestMismatch or sizeMismatch", { isDigestMismatch($0) || isSizeMismatch($0) }
            ) {
                try await store.push(claimed, content: ByteStream(ByteBuffer(bytes: other.manifest.bytes)))
            }
            try expect(try await !store.exists(image.manifest.descriptor), "a refused manifest is visible")
        },
    ]
}
