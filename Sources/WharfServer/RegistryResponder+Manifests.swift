import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WharfContent
import WharfImage
import WharfStorage

extension RegistryResponder {
    /// `GET`/`HEAD /v2/<name>/manifests/<reference>`: the exact stored bytes, with their
    /// media type.
    func getManifest(
        _ repository: RegistryRepository, reference: String, request: Request
    ) async throws -> Response {
        try requireKnowableReference(reference)
        let (descriptor, bytes) = try await repository.manifest(reference)
        let headers: HTTPFields = [
            .contentType: descriptor.mediaType.rawValue, .contentLength: String(bytes.readableBytes),
            .dockerContentDigest: descriptor.digest.description, .eTag: "\"\(descriptor.digest)\"",
        ]
        let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: bytes)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `PUT /v2/<name>/manifests/<reference>[?tag=...]`: stores a manifest under a tag or
    /// its digest, plus any tags given as `tag` parameters.
    func putManifest(
        _ repository: RegistryRepository, reference: String, request: Request
    ) async throws -> Response {
        try validateReference(reference)
        let limit = store.options.manifestSizeLimit
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw RegistryStoreError.manifestTooLarge(limit: limit)
        }
        var request = request
        let bytes: ByteBuffer
        do {
            bytes = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw RegistryStoreError.manifestTooLarge(limit: limit)
        } catch {
            throw RequestBodyError(underlying: error)
        }
        let mediaType = request.headers[.contentType].map { OCIMediaType(rawValue: $0) }
        let extraTags = request.uri.queryParameters.getAll("tag")
        for tag in extraTags {
            do {
                try ImageReference.validateTag(tag)
            } catch {
                throw RegistryStoreError.tagInvalid(tag, reason: "\(error)")
            }
        }
        let document = try await repository.putManifest(
            bytes, mediaType: mediaType, reference: reference)
        let descriptor = document.descriptor
        var headers: HTTPFields = [
            .location: "/v2/\(repository.name)/manifests/\(descriptor.digest)", .contentLength: "0",
            .dockerContentDigest: descriptor.digest.description,
        ]
        for tag in extraTags {
            try await repository.setTag(tag, to: descriptor.digest)
            headers.append(HTTPField(name: .ociTag, value: tag))
        }
        if let subject = document.subject {
            headers[.ociSubject] = subject.digest.description
        }
        return Response(status: .created, headers: headers)
    }

    /// `DELETE /v2/<name>/manifests/<reference>`: a digest deletes the manifest (and its
    /// tags), a tag deletes only the tag.
    func deleteManifest(_ repository: RegistryRepository, reference: String) async throws -> Response {
        try requireKnowableReference(reference)
        if reference.contains(":") {
            try await repository.deleteManifest(try parseDigest(reference))
        } else {
            try await repository.deleteTag(reference)
        }
        return Response(status: .accepted, headers: [.contentLength: "0"])
    }

    /// For reads and deletes, a reference that is neither a tag nor a digest names nothing:
    /// 404 MANIFEST_UNKNOWN, as Distribution answers and the OCI conformance suite (v1.1.1,
    /// `.INVALID_MANIFEST_NAME`) expects. Only a push is told its reference is malformed.
    private func requireKnowableReference(_ reference: String) throws {
        do {
            try validateReference(reference)
        } catch {
            throw RegistryStoreError.manifestUnknown(reference)
        }
    }

    /// A reference is a digest (if it has a colon) or a tag; anything else is refused before
    /// it reaches storage.
    private func validateReference(_ reference: String) throws {
        if reference.contains(":") {
            _ = try parseDigest(reference)
            return
        }
        do {
            try ImageReference.validateTag(reference)
        } catch {
            throw RegistryStoreError.tagInvalid(reference, reason: "\(error)")
        }
    }
}
