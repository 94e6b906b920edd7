/// The version of Wharf, which the client reports in its `User-Agent` and `wharf version`
/// prints: the one place it is written (CHANGELOG.md's latest release).
package enum WharfClientVersion {
    package static let string = "0.1.0"
}
