import Benchmark
import NIOCore
import WharfContent
import WharfImage
import WharfSign

/// Verifying an image that carries 100 cosign signatures (100 keys, one layer each in the
/// `.sig` image) against the one trusted key: what `wharf verify` and the registry's
/// signature policy pay on a cache miss. The floor is 100 ECDSA P-256 verifications;
/// `Benchmarks/compare-verify.sh` prints OpenSSL's speed for them in the same run.
let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Verify an image with 100 signatures",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
            timeUnits: .microseconds,
            maxDuration: .seconds(20),
            maxIterations: 200
        )
    ) { (benchmark: Benchmark, fixture: Fixture) in
        for _ in benchmark.scaledIterations {
            let result = try await SignatureVerifier(keys: [fixture.trusted]).verify(
                fixture.image, in: fixture.store)
            precondition(result.verified.count == 1 && result.rejected.count == 99)
            blackHole(result)
        }
    } setup: { () async throws -> Fixture in
        let store = MemoryStore()
        let config = Array(
            #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
        let configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
        try await store.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: config)))
        let manifest = try ManifestDocument(ImageManifest(config: configDescriptor, layers: []))
        try await store.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
        var trusted: VerificationKey?
        for index in 0..<100 {
            let key = SigningKey.generate()
            try await ImageSigner(key: key).sign(
                manifest.descriptor, identity: "registry.example.com/team/app", in: store)
            if index == 99 { trusted = key.verificationKey }
        }
        guard let trusted else { fatalError("no key") }
        return Fixture(store: store, image: manifest.descriptor, trusted: trusted)
    }
}

struct Fixture: Sendable {
    var store: MemoryStore
    var image: Descriptor
    var trusted: VerificationKey
}
