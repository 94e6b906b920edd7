@_exported public import WharfImage

// Re-exports what the public API is built on; see WharfContent's Exports.swift. The client
// takes an AsyncHTTPClient `HTTPClient`, a swift-log `Logger` and a SwiftNIO SSL
// `TLSConfiguration` in its configuration.
@_exported public import class AsyncHTTPClient.HTTPClient
@_exported public import struct Logging.Logger
@_exported public import struct NIOSSL.TLSConfiguration
