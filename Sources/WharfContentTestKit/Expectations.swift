import WharfContent

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw ContentStoreCheckFailure(message: message()) }
}

/// Runs `operation` and requires it to fail with an error `matches` accepts.
func expectError(
    _ description: String, _ matches: (any Error) -> Bool, _ operation: () async throws -> Void
) async throws {
    do {
        try await operation()
    } catch let failure as ContentStoreCheckFailure {
        throw failure
    } catch {
        if matches(error) { return }
        throw ContentStoreCheckFailure(message: "expected \(description), got \(type(of: error)): \(error)")
    }
    throw ContentStoreCheckFailure(message: "expected \(description), but the operation succeeded")
}

func isNotFound(_ digest: OCIDigest) -> (any Error) -> Bool {
    { error in
        if case ContentError.notFound(let missing, _) = error { return missing == digest }
        return false
    }
}

func isReferenceNotFound(_ error: any Error) -> Bool {
    if case ContentError.referenceNotFound = error { return true }
    return false
}

func isDigestMismatch(_ error: any Error) -> Bool {
    if case ContentError.digestMismatch = error { return true }
    return false
}

func isSizeMismatch(_ error: any Error) -> Bool {
    if case ContentError.sizeMismatch = error { return true }
    return false
}

/// Everything `descriptor` streams, collected.
func fetchAll(_ store: any ContentTarget, _ descriptor: Descriptor) async throws -> [UInt8] {
    var result: [UInt8] = []
    for try await chunk in try await store.fetch(descriptor) { result += chunk.readableBytesView }
    return result
}

/// The same descriptor, stripped to what identifies content: stores may add annotations
/// or artifact types, or keep a `platform`, when they hand a descriptor back.
func identity(_ descriptor: Descriptor) -> String {
    "\(descriptor.mediaType.essence) \(descriptor.digest) \(descriptor.size)"
}
