/// The version the client reports in its `User-Agent`.
enum WharfClientVersion {
    static let string = "0.1.0"
}
