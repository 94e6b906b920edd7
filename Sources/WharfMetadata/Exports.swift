@_exported public import WharfContent
