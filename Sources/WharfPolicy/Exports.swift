@_exported public import WharfMetadata
@_exported public import WharfStorage
