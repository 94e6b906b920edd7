import Foundation
import Testing
import WharfTestSupport

@testable import WharfSign

/// Wharf's keys against independent implementations: Python's `hashlib.scrypt` (OpenSSL),
/// PyNaCl's secretbox (libsodium) and PyCA `cryptography` (PKCS#8, ECDSA).
@Suite(
    "Keys against PyNaCl and cryptography", .tags(.interop),
    .enabled(if: PythonModule.pynacl.shouldRun && PythonModule.cryptography.shouldRun))
struct PythonKeyInteropTests {
    static let script = #"""
        import base64, hashlib, json, os, sys
        from nacl.secret import SecretBox
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        def body(path):
            lines = [l.strip() for l in open(path).read().splitlines()]
            return base64.b64decode("".join(l for l in lines if l and not l.startswith("-----")))

        def derive(passphrase, salt, n):
            return hashlib.scrypt(passphrase, salt=salt, n=n, r=8, p=1, maxmem=512 << 20, dklen=32)

        mode = sys.argv[1]
        if mode == "read":  # open a Wharf key; sign a message with it
            envelope = json.loads(body(sys.argv[2]))
            key = derive(sys.argv[3].encode(), base64.b64decode(envelope["kdf"]["salt"]), envelope["kdf"]["params"]["N"])
            der = SecretBox(key).decrypt(base64.b64decode(envelope["ciphertext"]), base64.b64decode(envelope["cipher"]["nonce"]))
            private = serialization.load_der_private_key(der, password=None)
            print(base64.b64encode(private.sign(b"from python", ec.ECDSA(hashes.SHA256()))).decode())
        elif mode == "verify":  # check a Wharf signature with a Wharf public key
            public = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
            public.verify(base64.b64decode(sys.argv[3]), b"from wharf", ec.ECDSA(hashes.SHA256()))
            print("verified")
        elif mode == "write":  # make a key and seal it as cosign does
            private = ec.generate_private_key(ec.SECP256R1())
            der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            n, salt, nonce = int(sys.argv[4]), os.urandom(32), os.urandom(24)
            box = SecretBox(derive(sys.argv[3].encode(), salt, n)).encrypt(der, nonce).ciphertext
            b64 = lambda b: base64.b64encode(b).decode()
            envelope = '{"kdf":{"name":"scrypt","params":{"N":%d,"r":8,"p":1},"salt":"%s"},"cipher":{"name":"nacl/secretbox","nonce":"%s"},"ciphertext":"%s"}' % (n, b64(salt), b64(nonce), b64(box))
            armored = base64.b64encode(envelope.encode()).decode()
            lines = [armored[i:i + 64] for i in range(0, len(armored), 64)]
            open(sys.argv[2], "w").write("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n")
            print(private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(), end="")
        elif mode == "box":  # secretbox of hex message under hex key and nonce
            key, nonce, message = (bytes.fromhex(a) for a in sys.argv[2:5])
            print(SecretBox(key).encrypt(message, nonce).ciphertext.hex())
        """#

    static func python(_ arguments: [String], in directory: String) async throws -> String {
        let script = (directory as NSString).appendingPathComponent("oracle.py")
        if !FileManager.default.fileExists(atPath: script) {
            try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        }
        return try await ProcessRunner.run("/usr/bin/env", ["python3", script] + arguments)
    }

    @Test("a key Wharf seals opens in Python, in both forms; signatures cross both ways")
    func wharfKeysInPython() async throws {
        let directory = try TemporaryDirectory()
        let key = SigningKey.generate()
        let publicPath = directory.appending("cosign.pub")
        try key.verificationKey.pem.write(toFile: publicPath, atomically: true, encoding: .utf8)
        for format in EncryptedKeyFormat.allCases {
            let path = directory.appending("cosign-\(format).key")
            try key.encryptedPEM(passphrase: Array("pass word".utf8), format: format)
                .write(toFile: path, atomically: true, encoding: .utf8)
            let signature = try await Self.python(["read", path, "pass word"], in: directory.path)
            let bytes = try #require(
                Data(base64Encoded: signature.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(key.verificationKey.isValidSignature(Array(bytes), for: Array("from python".utf8)))
        }
        let wharfSignature = Data(try key.signature(for: Array("from wharf".utf8))).base64EncodedString()
        let verdict = try await Self.python(["verify", publicPath, wharfSignature], in: directory.path)
        #expect(verdict.trimmingCharacters(in: .whitespacesAndNewlines) == "verified")
    }

    @Test(
        "a key sealed in Python opens in Wharf, for every scrypt cost cosign reads",
        arguments: [32768, 65536, 131072])
    func pythonKeysInWharf(scryptN: Int) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("python.key")
        let publicPEM = try await Self.python(["write", path, "s3cret", String(scryptN)], in: directory.path)
        let key = try SigningKey(
            encryptedPEM: try String(contentsOfFile: path, encoding: .utf8), passphrase: Array("s3cret".utf8))
        #expect(key.verificationKey == (try VerificationKey(pem: publicPEM)))
        #expect(throws: SignError.wrongPassphraseOrDamaged) {
            try SigningKey(
                encryptedPEM: try String(contentsOfFile: path, encoding: .utf8),
                passphrase: Array("s3creT".utf8))
        }
    }

    @Test("XSalsa20-Poly1305 agrees with libsodium on messages of every length up to three blocks")
    func secretboxAgrees() async throws {
        let directory = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 24)
        for length in [0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 191, 192, 200] {
            let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let nonce = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = try await Self.python(
                ["box", hex(key), hex(nonce), hex(message)], in: directory.path
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            let box = try SecretBox.seal(message, nonce: nonce, key: key)
            #expect(hex(box) == expected, "length \(length)")
            #expect(try SecretBox.open(box, nonce: nonce, key: key) == message)
        }
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
