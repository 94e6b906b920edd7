import Foundation
import WharfClient
import WharfContent
import WharfImage

/// Opens image locations as content stores for the registry verbs.
struct ImageEndpoints {
    let registry: RegistryOptions

    /// A readable store and the reference to resolve in it.
    func source(
        _ location: ImageLocation
    ) async throws -> (store: any ReadOnlyContentTarget, reference: String) {
        switch location {
        case .layout(let path, let reference):
            let store = try await OCILayoutStore(root: path, create: false)
            if let reference { return (store, reference) }
            return (store, try await Self.onlyTag(in: store, path: path))
        case .registry(let reference):
            return (
                try registry.repository(reference),
                reference.digest?.description ?? reference.tag ?? ImageReference.defaultTag
            )
        }
    }

    /// A writable store and the reference to tag there (`nil`: keep the source's).
    func target(
        _ location: ImageLocation, mountingFrom source: ImageLocation? = nil
    ) async throws
        -> (store: any ContentTarget, reference: String?)
    {
        switch location {
        case .layout(let path, let reference):
            return (try await OCILayoutStore(root: path, create: true), reference)
        case .registry(let reference):
            var repository = try registry.repository(reference)
            if case .registry(let origin)? = source, origin.registry == reference.registry,
                origin.repository != reference.repository
            {
                repository = repository.mounting(from: origin.repository)
            }
            return (repository, reference.tag)
        }
    }

    /// A layout without a tag in its reference is fine when it holds exactly one image
    /// (referrers listed untagged beside it do not count).
    private static func onlyTag(in store: OCILayoutStore, path: String) async throws -> String {
        let manifests = try await store.index().manifests
        let tagged = manifests.filter { $0.annotations?[Descriptor.refNameAnnotation] != nil }
        let images = tagged.count == 1 ? tagged : manifests
        guard images.count == 1, let only = images.first else {
            throw CommandError("\(path) holds \(images.count) images: name one, oci:\(path):TAG")
        }
        return only.annotations?[Descriptor.refNameAnnotation] ?? only.digest.description
    }
}
