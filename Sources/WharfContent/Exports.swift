// The import policy of every Wharf library module: it re-exports the Wharf modules its
// public API is built on, and exactly the types of other packages that appear in its
// public signatures (scoped, as Hummingbird does), so that `import WharfContent` is all an
// embedder writes to call it. Blobs move as SwiftNIO's `ByteBuffer`s.
@_exported public import struct NIOCore.ByteBuffer
@_exported public import struct NIOCore.ByteBufferAllocator
