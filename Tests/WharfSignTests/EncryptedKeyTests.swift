import Crypto
import Foundation
import Testing
import WharfTestSupport

@testable import WharfSign

@Suite("Cosign's encrypted private keys")
struct EncryptedKeyTests {
    /// go-securesystemslib's published vectors (encrypted/encrypted_test.go), passphrase
    /// `supersecret`: one per scrypt cost cosign reads, and its raw-plaintext case. The first
    /// three were made through its JSON `Marshal`, so they hold the JSON string
    /// `"cmVhbGx5aW1wb3J0YW50"` (base64 of `reallyimportant`, quoted).
    static let vectors: [(json: String, plaintext: String)] = [
        (
            #"{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"WO3mVvyTwJ9vwT5/Tk5OW5WPIBUofMjcpEfrLnfY4uA="},"cipher":{"name":"nacl/secretbox","nonce":"tCy7HcTFr4uxv4Nrg/DWmncuZ148U1MX"},"ciphertext":"08n43p5G5yviPEZpO7tPPF4aZQkWiWjkv4taFdhDBA0tamKH4nw="}"#,
            #""cmVhbGx5aW1wb3J0YW50""#
        ),
        (
            #"{"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":"FhzPOt9/bJG4PTq6lQ6ecG6GzaOuOy/ynG5+yRiFlNs="},"cipher":{"name":"nacl/secretbox","nonce":"aw1ng1jHaDz/tQ7V2gR9O2+IGQ8xJEuE"},"ciphertext":"HycvuLZL4sYH0BrYTh4E/H20VtAW6u5zL5Pr+IBjYLYnCPzDkq8="}"#,
            #""cmVhbGx5aW1wb3J0YW50""#
        ),
        (
            #"{"kdf":{"name":"scrypt","params":{"N":131072,"r":8,"p":1},"salt":"m38E3kouJTtiheLQN22NQ8DTito5hrjpUIskqcd375k="},"cipher":{"name":"nacl/secretbox","nonce":"Y6PM13yA+o44pE/W1ZBwczeGnTV/m9Zc"},"ciphertext":"6H8sqj1K6B6yDjtH5AQ6lbFigg/C2yDDJc4rYJ79w9aVPImFIPI="}"#,
            #""cmVhbGx5aW1wb3J0YW50""#
        ),
        (
            #"{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"N9a7x5JFGbrtB2uBR81jPwp0eiLR4A7FV3mjVAQrg1g="},"cipher":{"name":"nacl/secretbox","nonce":"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik"},"ciphertext":"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ=="}"#,
            "reallyimportant"
        ),
    ]

    static let passphrase = Array("supersecret".utf8)

    @Test("go-securesystemslib's published vectors decrypt, for every scrypt cost cosign reads")
    func publishedVectors() throws {
        for vector in Self.vectors {
            let plaintext = try EncryptedKeyEnvelope.open(
                Array(vector.json.utf8), passphrase: Self.passphrase)
            #expect(String(decoding: plaintext, as: UTF8.self) == vector.plaintext)
        }
    }

    @Test("a wrong passphrase, and any changed byte of the box, is refused with a clear error")
    func wrongPassphraseAndTampering() throws {
        let json = Self.vectors[3].json
        #expect(throws: SignError.wrongPassphraseOrDamaged) {
            try EncryptedKeyEnvelope.open(Array(json.utf8), passphrase: Array("supersecreT".utf8))
        }
        var envelope = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        let box = try #require(Data(base64Encoded: envelope["ciphertext"] as? String ?? ""))
        for position in [0, 15, 16, box.count - 1] {
            var tampered = Array(box)
            tampered[position] ^= 0x01
            envelope["ciphertext"] = Data(tampered).base64EncodedString()
            let changed = try JSONSerialization.data(withJSONObject: envelope)
            #expect(throws: SignError.wrongPassphraseOrDamaged) {
                try EncryptedKeyEnvelope.open(Array(changed), passphrase: Self.passphrase)
            }
        }
    }

    @Test(
        "parameters cosign does not write, and shapes that are not its, are refused by name",
        arguments: [
            (#""N":32768"#, #""N":16384"#, "scrypt N=16384"),
            (#""r":8"#, #""r":4"#, "r=4"),
            (#""name":"scrypt""#, #""name":"pbkdf2""#, "pbkdf2"),
            (#""name":"nacl/secretbox""#, #""name":"aes-gcm""#, "aes-gcm"),
            (#""nonce":"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik""#, #""nonce":"AAAA""#, "nonce must be 24 bytes"),
            (#""salt":"N9a7"#, #""salt":"!!!!"#, "not base64"),
            (#"{"kdf""#, #"{"KDF""#, "cosign's shape"),
        ])
    func refusedParameters(original: String, replacement: String, message: String) {
        let json = Self.vectors[3].json.replacingOccurrences(of: original, with: replacement)
        do {
            _ = try EncryptedKeyEnvelope.open(Array(json.utf8), passphrase: Self.passphrase)
            Issue.record("\(replacement) was accepted")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test("keys round-trip through both PEM forms, with an empty passphrase too; other PEM is refused")
    func roundTrip() throws {
        let key = SigningKey.generate()
        for format in EncryptedKeyFormat.allCases {
            for passphrase in [Array("correct horse".utf8), []] {
                let pem = try key.encryptedPEM(passphrase: passphrase, format: format)
                #expect(pem.hasPrefix("-----BEGIN \(format.pemType)-----\n"))
                #expect(pem.split(separator: "\n").allSatisfy { $0.count <= 64 })
                let read = try SigningKey(encryptedPEM: pem, passphrase: passphrase)
                #expect(read.pkcs8DER == key.pkcs8DER)
            }
        }
        #expect(throws: SignError.self) {
            try SigningKey(encryptedPEM: key.verificationKey.pem, passphrase: [])
        }
        let truncated = String(try key.encryptedPEM(passphrase: []).dropLast(40))
        #expect(throws: SignError.self) { try SigningKey(encryptedPEM: truncated, passphrase: []) }
    }

    @Test("a public key is PKIX PEM; keys of other curves are refused as unsupported")
    func publicKeys() throws {
        let key = SigningKey.generate()
        let pem = key.verificationKey.pem
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try VerificationKey(pem: pem) == key.verificationKey)
        let payload = Array("payload".utf8)
        let signature = try key.signature(for: payload)
        #expect(key.verificationKey.isValidSignature(signature, for: payload))
        #expect(!key.verificationKey.isValidSignature(signature, for: Array("other".utf8)))
        #expect(!SigningKey.generate().verificationKey.isValidSignature(signature, for: payload))
        #expect(!key.verificationKey.isValidSignature([0x30, 0x03, 0x02, 0x01], for: payload))
        let p384 = P384.Signing.PrivateKey()
        #expect(throws: SignError.unsupportedKey("a P-384 key (Wharf signs and verifies with P-256)")) {
            try VerificationKey(pem: p384.publicKey.pemRepresentation)
        }
        #expect(throws: SignError.unsupportedKey("a P-384 key (Wharf signs and verifies with P-256)")) {
            try SigningKey(pkcs8DER: Array(p384.derRepresentation))
        }
    }
}
