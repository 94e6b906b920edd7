/// The error boundary of the store's public API: what fails beneath it comes out as a
/// ``RegistryStoreError``, so that a caller (the server, an embedder) decides on one type.
///
/// A failure of the storage driver becomes ``RegistryStoreError/storage(_:)``. An error
/// thrown by content the caller supplied (an upload's body, say) is the caller's own and
/// comes back unchanged: the store tags such errors on their way in
/// (``SuppliedContentError``) so that they are never mistaken for its own. Cancellation
/// passes through.
func storeBoundary<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StorageError {
        throw RegistryStoreError.storage(error)
    } catch let error as SuppliedContentError {
        throw error.underlying
    }
}

/// An error thrown by a stream the caller handed to the store, on its way out unchanged.
struct SuppliedContentError: Error {
    let underlying: any Error
}

extension ByteStream {
    /// The stream, with its errors marked as the caller's own (see ``storeBoundary(_:)``).
    var suppliedByCaller: ByteStream {
        mapError { SuppliedContentError(underlying: $0) }
    }
}
