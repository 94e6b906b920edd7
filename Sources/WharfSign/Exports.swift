// Re-exports what the public API is built on; see WharfContent's Exports.swift.
@_exported public import WharfImage
