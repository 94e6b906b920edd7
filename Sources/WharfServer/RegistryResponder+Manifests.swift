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
        _ repository: RegistryRepository, reference text: String, request: Request, origin: RequestOrigin
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
        if request.method == .head { return Response(status: .ok, headers: headers) }
        if let activity = options.activity {
            let now = Date()
            activity.recordPull(PullRecord(repository: repository.name, digest: descriptor.digest, at: now))
            activity.recordAudit(
                origin.event(
                    .pull, repository: repository.name, reference: text, digest: descriptor.digest, at: now))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: bytes))
    }

    /// `PUT /v2/<name>/manifests/<reference>[?tag=...]`: stores a manifest under a tag or
    /// its digest, plus any tags given as `tag` parameters.
    func putManifest(
        _ repository: RegistryRepository, reference text: String, request: Request, origin: RequestOrigin
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
        var tags = extraTags
        if case .tag(let tag) = reference { tags.insert(tag, at: 0) }
        // What the tags named before, for their history; only read when it is recorded.
        var previous: [String: OCIDigest] = [:]
        if options.activity != nil {
            for tag in tags { previous[tag] = try? await repository.tagTarget(tag) }
        }
        let document = try await repository.putManifest(
            bytes, mediaType: mediaType, reference: reference, additionalTags: extraTags)
        let descriptor = document.descriptor
        if let activity = options.activity {
            let now = Date()
            await activity.recordPush(
                PushRecord(
                    repository: repository.name, digest: descriptor.digest, mediaType: descriptor.mediaType,
                    size: descriptor.size, at: now, by: origin.user),
                tagChanges: tags.filter { previous[$0] != descriptor.digest }.map { tag in
                    TagChange(
                        repository: repository.name, tag: tag, digest: descriptor.digest,
                        previousDigest: previous[tag], at: now, by: origin.user)
                })
            activity.recordAudit(
                origin.event(
                    .push, repository: repository.name, reference: text, digest: descriptor.digest,
                    detail: tags.isEmpty ? nil : "tags: \(tags.joined(separator: ", "))", at: now))
        }
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
    func deleteManifest(
        _ repository: RegistryRepository, reference text: String, origin: RequestOrigin
    ) async throws -> Response {
        let now = Date()
        switch try knowableReference(text) {
        case .digest(let digest):
            let removedTags = try await repository.deleteManifestReturningTags(digest)
            invalidatePullGates(repository)
            if let activity = options.activity {
                await activity.recordManifestDeletion(
                    digest, in: repository.name,
                    tagChanges: removedTags.map { tag in
                        TagChange(
                            repository: repository.name, tag: tag, digest: nil, previousDigest: digest,
                            at: now,
                            by: origin.user)
                    })
                activity.recordAudit(
                    origin.event(
                        .delete, repository: repository.name, reference: text, digest: digest, at: now))
            }
        case .tag(let tag):
            let previous = options.activity != nil ? try? await repository.tagTarget(tag) : nil
            try await repository.deleteTag(tag)
            invalidatePullGates(repository)
            if let activity = options.activity {
                await activity.recordTagChange(
                    TagChange(
                        repository: repository.name, tag: tag, digest: nil, previousDigest: previous, at: now,
                        by: origin.user))
                activity.recordAudit(
                    origin.event(
                        .delete, repository: repository.name, reference: text, digest: previous, at: now))
            }
        }
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
