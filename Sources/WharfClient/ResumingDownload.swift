import AsyncHTTPClient
import NIOCore

/// A blob download that survives dropped connections: when the body ends early or fails,
/// it asks again from the first missing byte (`Range: bytes=<offset>-`) and carries on,
/// up to the client's retry limit. A server that ignores `Range` answers 200 with the
/// whole blob; the bytes already delivered are then skipped.
struct ResumingDownload: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// Opens the blob from `offset`: the body and the offset it actually starts at.
    let open: @Sendable (_ offset: Int64) async throws -> (HTTPClientResponse.Body, startsAt: Int64)
    let size: Int64
    let retry: RetryPolicy
    let first: HTTPClientResponse.Body

    func makeAsyncIterator() -> Iterator {
        Iterator(download: self, body: first.makeAsyncIterator(), bodyOffset: 0)
    }

    struct Iterator: AsyncIteratorProtocol {
        let download: ResumingDownload
        var body: HTTPClientResponse.Body.AsyncIterator
        /// Where the current body's next byte sits in the blob.
        var bodyOffset: Int64
        /// Bytes handed out so far.
        var delivered: Int64 = 0
        var failures = 0

        init(download: ResumingDownload, body: HTTPClientResponse.Body.AsyncIterator, bodyOffset: Int64) {
            self.download = download
            self.body = body
            self.bodyOffset = bodyOffset
        }

        mutating func next() async throws -> ByteBuffer? {
            while true {
                var failure: (any Error)?
                do {
                    if var chunk = try await body.next() {
                        let start = bodyOffset
                        bodyOffset += Int64(chunk.readableBytes)
                        // Skip what a restarted body repeats.
                        if start < delivered {
                            let overlap = Int(Swift.min(delivered - start, Int64(chunk.readableBytes)))
                            chunk.moveReaderIndex(forwardBy: overlap)
                        }
                        if chunk.readableBytes == 0 { continue }
                        delivered += Int64(chunk.readableBytes)
                        return chunk
                    }
                    // The body ended: complete, or cut short by a closed connection.
                    if delivered >= download.size { return nil }
                    failure = RegistryClientError(
                        status: nil,
                        message: "the connection closed after \(delivered) of \(download.size) bytes",
                        isRetryable: true, request: "GET blob")
                } catch {
                    failure = error
                }
                failures += 1
                guard failures < download.retry.maximumAttempts else {
                    throw failure
                        ?? RegistryClientError(
                            status: nil, message: "the download failed", isRetryable: false,
                            request: "GET blob")
                }
                try await Task.sleep(for: download.retry.delay(afterAttempt: failures, retryAfter: nil))
                let (reopened, startsAt) = try await download.open(delivered)
                body = reopened.makeAsyncIterator()
                bodyOffset = startsAt
            }
        }
    }
}
