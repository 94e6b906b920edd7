import CWharfZlib
import NIOCore
public import WharfContent

extension ByteStream {
    /// This stream inflated as gzip (several concatenated members allowed, as `pigz`
    /// writes them), failing once more than `limit` bytes come out.
    public func gunzipped(limit: Int64) -> ByteStream {
        ByteStream(GzipDecompressedStream(base: self, limit: limit))
    }
}

/// Inflates a gzip stream chunk by chunk with zlib, never holding more than one input
/// chunk's output at a time.
struct GzipDecompressedStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let limit: Int64

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.Iterator
        let limit: Int64
        var inflater: Inflater?
        var produced: Int64 = 0
        var finished = false

        init(base: ByteStream.Iterator, limit: Int64) {
            self.base = base
            self.limit = limit
        }

        mutating func next() async throws -> ByteBuffer? {
            while !finished {
                if inflater == nil { inflater = try Inflater() }
                guard let input = try await base.next() else {
                    finished = true
                    guard inflater?.atMemberBoundary == true else {
                        throw ScanError.truncated("the gzip stream ends inside a member")
                    }
                    return nil
                }
                guard let inflater else { return nil }
                let output = try inflater.inflate(input)
                if output.readableBytes == 0 { continue }
                produced += Int64(output.readableBytes)
                guard produced <= limit else {
                    throw ScanError.limitExceeded("a layer inflates to more than \(limit) bytes")
                }
                return output
            }
            return nil
        }
    }
}

/// One zlib inflate state (gzip framing, multi-member). Used by one iterator at a time.
final class Inflater {
    private var stream = z_stream()
    /// Whether the last input ended exactly at the end of a gzip member.
    private(set) var atMemberBoundary = true

    init() throws {
        // 15 window bits + 16: gzip framing only (a zlib or raw stream is not a layer).
        let status = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ScanError.corruptArchive("zlib could not start (\(status))") }
    }

    deinit {
        inflateEnd(&stream)
    }

    /// Inflates all of `input`, returning what came out.
    func inflate(_ input: ByteBuffer) throws -> ByteBuffer {
        var output = ByteBuffer()
        var input = input
        while input.readableBytes > 0 {
            if atMemberBoundary {
                // Trailing zero padding after the last member (some tools write it) ends the data.
                if input.readableBytesView.allSatisfy({ $0 == 0 }) { return output }
                atMemberBoundary = false
            }
            try input.withUnsafeMutableReadableBytes { raw in
                stream.next_in = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(raw.count)
                while stream.avail_in > 0 {
                    output.reserveCapacity(minimumWritableBytes: 64 << 10)
                    let inputBefore = stream.avail_in
                    let status = output.withUnsafeMutableWritableBytes { out -> Int32 in
                        stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                        stream.avail_out = uInt(out.count)
                        let status = CWharfZlib.inflate(&stream, Z_NO_FLUSH)
                        return status
                    }
                    let written = output.writableBytes - Int(stream.avail_out)
                    output.moveWriterIndex(forwardBy: written)
                    switch status {
                    case Z_OK, Z_BUF_ERROR:
                        // No progress with room on both sides would loop forever.
                        if written == 0 && stream.avail_in == inputBefore {
                            throw ScanError.corruptArchive("gzip: the inflater made no progress")
                        }
                        continue
                    case Z_STREAM_END:
                        // Another member may follow in the same input.
                        inflateReset(&stream)
                        atMemberBoundary = true
                        if stream.avail_in > 0 {
                            let rest = UnsafeRawBufferPointer(
                                start: stream.next_in, count: Int(stream.avail_in))
                            if rest.allSatisfy({ $0 == 0 }) {
                                stream.avail_in = 0
                            } else {
                                atMemberBoundary = false
                            }
                        }
                    default:
                        let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                        throw ScanError.corruptArchive("gzip: \(reason)")
                    }
                }
            }
            input.moveReaderIndex(to: input.writerIndex)
        }
        return output
    }
}
