import NIOCore
import Testing
import WharfContent
import WharfTestSupport

@Suite("Streaming hashing")
struct DigestHasherTests {
    @Test(
        "matches the FIPS 180 test vectors",
        arguments: [
            ("", DigestAlgorithm.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", .sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", .sha256,
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abc", .sha512,
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            ),
        ])
    func knownVectors(input: String, algorithm: DigestAlgorithm, expected: String) {
        #expect(DigestHasher.digest(of: Array(input.utf8), algorithm: algorithm).encoded == expected)
    }

    @Test("gives the same digest however the bytes are split into chunks")
    func chunkingDoesNotMatter() {
        var generator = SeededGenerator(seed: 42)
        let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for algorithm in DigestAlgorithm.allCases {
            let whole = DigestHasher.digest(of: bytes, algorithm: algorithm)
            for _ in 0..<20 {
                let hasher = DigestHasher(algorithm: algorithm)
                var offset = 0
                while offset < bytes.count {
                    let length = min(bytes.count - offset, Int(generator.next() % 70_000))
                    hasher.update(ByteBuffer(bytes: bytes[offset..<offset + length]))
                    offset += length
                }
                #expect(hasher.finalize() == whole)
            }
        }
    }

    @Test("hashes a million 'a' characters to the published SHA-256 value")
    func millionA() {
        let hasher = DigestHasher()
        let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(
            hasher.finalize().encoded == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
