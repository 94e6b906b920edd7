import Foundation
import WharfServer
import WharfSign

/// Turns the `policies` of the configuration file into the server's pull gates.
enum PolicyLoader {
    static func pullGates(_ policies: [ServeConfiguration.Policy]?) throws -> [any ManifestPullGate] {
        guard let policies, !policies.isEmpty else { return [] }
        var rules: [SignaturePolicy.Rule] = []
        for (index, policy) in policies.enumerated() {
            let pattern = RepositoryPattern(policy.repositories)
            guard let required = policy.requireSignature else {
                // A rule without a requirement exempts its repositories from later rules.
                rules.append(SignaturePolicy.Rule(repositories: pattern, keys: []))
                continue
            }
            guard !required.keys.isEmpty else {
                throw ConfigurationError(
                    "policies[\(index)].requireSignature.keys: at least one key is required")
            }
            let keys = try required.keys.map { path in
                guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw ConfigurationError("policies[\(index)]: cannot read key \(path)")
                }
                do {
                    return try VerificationKey(pem: pem)
                } catch {
                    throw ConfigurationError("policies[\(index)]: \(path): \(error)")
                }
            }
            rules.append(SignaturePolicy.Rule(repositories: pattern, keys: keys))
        }
        return [SignaturePolicy(rules: rules)]
    }
}
