@_exported public import WharfMetadata
@_exported public import WharfPolicy
@_exported public import WharfStorage

// Re-exports what the public API is built on; see WharfContent's Exports.swift. The
// server's API is Hummingbird's (responders, middleware, request contexts): an embedder
// imports Hummingbird for those, as for the rest of their application.
@_exported public import struct Logging.Logger
