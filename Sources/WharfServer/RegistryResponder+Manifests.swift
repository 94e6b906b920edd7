import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WharfContent
import WharfImage
import WharfStorage

extension RegistryResponder {
    /// `GET`/`HEAD /v2/<name>/manifests/<reference>`: the exact stored bytes, with their
    /// media type. A `GET` must pass every pull gate first; a `HEAD` hands out no content
    /// and is not gated (as in Harbor), so signers can resolve what they sign.
    func getManifest(
        _ repository: RegistryRepository, reference text: String, request: Request
    ) async throws -> Response {
        let reference = try knowableReference(text)
        let (descriptor, bytes) = try await repository.manifest(reference)
        for gate in options.pullGates where request.method == .get {
            if let refusal = try await gate.check(
                descriptor, content: bytes, reference: reference, in: repository)
            {
                throw RegistryHTTPError(.preconditionFailed, code: .denied, message: refusal.description)
            }
        }
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
        _ repository: RegistryRepository, reference text: String, request: Request
    ) async throws -> Response {
        let reference = try ManifestReference(parsing: text)
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
            throw RequestBodyError(underlying: error, code: .manifestInvalid)
        }
        let mediaType = request.headers[.contentType].map { OCIMediaType(rawValue: $0) }
        // Every tag is validated before anything is stored.
        let extraTags = try request.uri.queryParameters.getAll("tag").map { tag in
            guard case .tag(let valid)? = try? ManifestReference(parsing: tag) else {
                throw RegistryStoreError.tagInvalid(tag, reason: "not a valid tag")
            }
            return valid
        }
        let document = try await repository.putManifest(
            bytes, mediaType: mediaType, reference: reference, additionalTags: extraTags)
        let descriptor = document.descriptor
        var headers: HTTPFields = [
            .location: "/v2/\(repository.name)/manifests/\(descriptor.digest)", .contentLength: "0",
            .dockerContentDigest: descriptor.digest.description,
        ]
        for tag in extraTags { headers.append(HTTPField(name: .ociTag, value: tag)) }
        if let subject = document.subject {
            headers[.ociSubject] = subject.digest.description
        }
        invalidatePullGates(repository)
        return Response(status: .created, headers: headers)
    }

    /// `DELETE /v2/<name>/manifests/<reference>`: a digest deletes the manifest (and its
    /// tags), a tag deletes only the tag.
    func deleteManifest(_ repository: RegistryRepository, reference text: String) async throws -> Response {
        switch try knowableReference(text) {
        case .digest(let digest): try await repository.deleteManifest(digest)
        case .tag(let tag): try await repository.deleteTag(tag)
        }
        invalidatePullGates(repository)
        return Response(status: .accepted, headers: [.contentLength: "0"])
    }

    /// A manifest or tag changed: a new signature, a moved tag or a deleted signature may
    /// change what the gates decide.
    func invalidatePullGates(_ repository: RegistryRepository) {
        for gate in options.pullGates { gate.invalidate(repository: repository.name) }
    }

    /// For reads and deletes, a reference that is neither a tag nor a digest names nothing:
    /// 404 MANIFEST_UNKNOWN, as Distribution answers and the OCI conformance suite (v1.1.1,
    /// `.INVALID_MANIFEST_NAME`) expects. Only a push is told its reference is malformed.
    private func knowableReference(_ text: String) throws -> ManifestReference {
        do {
            return try ManifestReference(parsing: text)
        } catch {
            throw RegistryStoreError.manifestUnknown(text)
        }
    }
}
