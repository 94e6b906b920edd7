public import Foundation

/// Credentials and keys made by the real tools users make them with: htpasswd files by
/// Apache's `htpasswd -B`, keys and certificates by the OpenSSL command line.
public enum AuthFixture {
    /// Writes an htpasswd file with bcrypt entries for `users` (name, password) and returns
    /// its path. Cost 5 keeps the tests fast; the format is what `htpasswd -B` always writes.
    public static func htpasswd(in directory: String, users: [(String, String)]) async throws -> String {
        let path = (directory as NSString).appendingPathComponent("htpasswd")
        for (index, (user, password)) in users.enumerated() {
            var arguments = ["-B", "-C", "5", "-b"]
            if index == 0 { arguments.append("-c") }
            try await ExternalTool.htpasswd.run(arguments + [path, user, password])
        }
        return path
    }

    /// A P-256 private key (SEC1 PEM) and a self-signed certificate for it, as a token
    /// service's signing key and the bundle a registry trusts it by.
    public static func signingKey(
        in directory: String, name: String = "token"
    ) async throws -> (
        key: String, certificate: String
    ) {
        let key = (directory as NSString).appendingPathComponent("\(name).key")
        let certificate = (directory as NSString).appendingPathComponent("\(name).crt")
        try await ExternalTool.openssl.run([
            "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key,
        ])
        try await ExternalTool.openssl.run([
            "req", "-new", "-x509", "-key", key, "-out", certificate, "-days", "2", "-subj", "/CN=\(name)",
        ])
        return (key, certificate)
    }

    /// A self-signed TLS certificate and key for `127.0.0.1`.
    public static func tlsCertificate(in directory: String) async throws -> (certificate: String, key: String)
    {
        let key = (directory as NSString).appendingPathComponent("tls.key")
        let certificate = (directory as NSString).appendingPathComponent("tls.crt")
        try await ExternalTool.openssl.run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        return (certificate, key)
    }

    /// `Basic base64(user:password)`.
    public static func basicAuthorization(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}
