import Foundation
public import WharfContent

/// A Dead Simple Signing Envelope (DSSE v1): a payload, its type, and signatures over the
/// pre-authentication encoding of both, as cosign stores attestations.
///
/// Written as go-securesystemslib writes it (the shape cosign stores):
/// `{"payloadType":"application/vnd.in-toto+json","payload":"<base64>","signatures":[{"keyid":"","sig":"<base64>"}]}`.
public struct DSSEEnvelope: Sendable, Hashable {
    /// The media type of a layer or blob holding an envelope.
    public static let mediaType: OCIMediaType = "application/vnd.dsse.envelope.v1+json"
    /// The payload type of an in-toto statement.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"
    /// The largest envelope read (an attestation can carry a whole SBOM).
    public static let sizeLimit = 64 << 20

    /// One signature in an envelope.
    public struct Signature: Sendable, Hashable {
        /// The signer's key ID; cosign writes an empty one.
        public var keyID: String
        /// The signature over the pre-authentication encoding (ASN.1 DER for ECDSA).
        public var bytes: [UInt8]

        /// Creates a signature.
        public init(keyID: String = "", bytes: [UInt8]) {
            self.keyID = keyID
            self.bytes = bytes
        }
    }

    /// What the payload is (`application/vnd.in-toto+json` for attestations).
    public var payloadType: String
    /// The signed bytes.
    public var payload: [UInt8]
    /// The signatures.
    public var signatures: [Signature]

    /// Creates an envelope.
    public init(payloadType: String, payload: [UInt8], signatures: [Signature] = []) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// An envelope of `payload` signed with `key`.
    public init(signing payload: [UInt8], payloadType: String, with key: SigningKey) throws(SignError) {
        self.init(payloadType: payloadType, payload: payload)
        signatures = [Signature(bytes: try key.signature(for: preAuthenticationEncoding))]
    }

    /// What the signatures sign: `DSSEv1 <len> <type> <len> <payload>`, lengths in ASCII
    /// decimal bytes, so that neither the type nor the payload can be confused for the other.
    public var preAuthenticationEncoding: [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }

    /// The keys among `keys` that verify one of the signatures.
    public func verifyingKeys(among keys: [VerificationKey]) -> [VerificationKey] {
        let message = preAuthenticationEncoding
        return keys.filter { key in signatures.contains { key.isValidSignature($0.bytes, for: message) } }
    }

    /// The envelope's JSON, as cosign writes it.
    public var bytes: [UInt8] {
        let document: GoJSON.Value = .object([
            ("payloadType", .string(payloadType)),
            ("payload", .string(Data(payload).base64EncodedString())),
            (
                "signatures",
                .array(
                    signatures.map {
                        .object([
                            ("keyid", .string($0.keyID)),
                            ("sig", .string(Data($0.bytes).base64EncodedString())),
                        ])
                    })
            ),
        ])
        return Array(GoJSON.encode(document).utf8)
    }

    /// Reads an envelope; throws ``SignatureError/malformedEnvelope(_:)`` for anything that is
    /// not one. Base64 is read in either alphabet, padded or not, as the DSSE spec asks.
    public init(parsing bytes: [UInt8]) throws(SignatureError) {
        guard bytes.count <= Self.sizeLimit else {
            throw .malformedEnvelope("larger than \(Self.sizeLimit) bytes")
        }
        struct Wire: Decodable {
            struct Signature: Decodable {
                var keyid: String?
                var sig: String
            }
            var payloadType: String
            var payload: String
            var signatures: [Signature]
        }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch {
            throw .malformedEnvelope("not a DSSE envelope (payloadType, payload, signatures)")
        }
        guard let payload = Self.base64(wire.payload) else {
            throw .malformedEnvelope("the payload is not base64")
        }
        var signatures: [Signature] = []
        for signature in wire.signatures {
            guard let decoded = Self.base64(signature.sig) else {
                throw .malformedEnvelope("a signature is not base64")
            }
            signatures.append(Signature(keyID: signature.keyid ?? "", bytes: decoded))
        }
        self.init(payloadType: wire.payloadType, payload: payload, signatures: signatures)
    }

    /// Standard or URL-safe base64, with or without padding.
    static func base64(_ text: String) -> [UInt8]? {
        var normalised = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(
            of: "_", with: "/")
        if normalised.count % 4 != 0 { normalised += String(repeating: "=", count: 4 - normalised.count % 4) }
        return Data(base64Encoded: normalised).map(Array.init)
    }
}
