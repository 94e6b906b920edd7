import Foundation
import NIOCore
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

/// Builds small images in code and pushes them through the store's public API.
struct ImageBuilder {
    var layers: [[UInt8]]
    var architecture = "amd64"

    var config: [UInt8] {
        let diffIDs = layers.map { "\"\(DigestHasher.digest(of: $0))\"" }.joined(separator: ",")
        return Array(
            #"{"architecture":"\#(architecture)","os":"linux","rootfs":{"type":"layers","diff_ids":[\#(diffIDs)]}}"#
                .utf8)
    }

    var configDescriptor: Descriptor { Descriptor(mediaType: .ociConfig, bytes: config) }
    var layerDescriptors: [Descriptor] { layers.map { Descriptor(mediaType: .ociLayer, bytes: $0) } }

    func manifest(
        subject: Descriptor? = nil, artifactType: OCIMediaType? = nil, annotations: [String: String]? = nil
    ) throws -> ManifestDocument {
        try ManifestDocument(
            ImageManifest(
                config: configDescriptor, layers: layerDescriptors, artifactType: artifactType,
                subject: subject,
                annotations: annotations))
    }

    /// Uploads the config and layers (in two chunks each) and puts the manifest under `reference`.
    @discardableResult
    func push(
        to repository: RegistryRepository, reference: String? = nil, subject: Descriptor? = nil,
        artifactType: OCIMediaType? = nil
    ) async throws -> Descriptor {
        for blob in [config] + layers {
            let upload = try await repository.startUpload()
            let half = blob.count / 2
            try await upload.append(ByteStream(ByteBuffer(bytes: blob[..<half])), expectedOffset: 0)
            try await upload.commit(
                digest: DigestHasher.digest(of: blob),
                finalChunk: ByteStream(ByteBuffer(bytes: blob[half...])),
                expectedOffset: Int64(half))
        }
        let document = try manifest(subject: subject, artifactType: artifactType)
        return try await repository.putManifest(
            ByteBuffer(bytes: document.bytes), mediaType: .ociManifest,
            reference: reference ?? document.descriptor.digest.description
        ).descriptor
    }

    static func random(layers: Int, size: Int, seed: UInt64) -> ImageBuilder {
        var generator = SeededGenerator(seed: seed)
        return ImageBuilder(
            layers: (0..<layers).map { _ in
                (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            })
    }
}

/// Both built-in drivers, for tests that must hold on each.
enum DriverKind: String, CaseIterable, CustomStringConvertible {
    case inMemory, fileSystem

    var description: String { rawValue }

    func make(in directory: borrowing TemporaryDirectory) throws -> any StorageDriver {
        switch self {
        case .inMemory: InMemoryDriver()
        case .fileSystem: try FileSystemDriver(rootDirectory: directory.appending("root"))
        }
    }
}

extension ByteStream {
    func bytes() async throws -> [UInt8] {
        var result: [UInt8] = []
        for try await chunk in self { result += chunk.readableBytesView }
        return result
    }
}
