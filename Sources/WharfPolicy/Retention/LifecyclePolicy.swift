public import Foundation

/// An AWS ECR lifecycle policy, accepted as ECR accepts it: the same JSON, the same
/// validation, and ECR's evaluation (``expired(_:now:)``).
///
/// ```json
/// {"rules": [{"rulePriority": 1, "description": "keep 10 releases",
///   "selection": {"tagStatus": "tagged", "tagPatternList": ["v*"],
///                 "countType": "imageCountMoreThan", "countNumber": 10},
///   "action": {"type": "expire"}}]}
/// ```
///
/// Wharf has no archive storage class, so `transition` actions and `storageClass: archive`
/// are refused; ECR allows `sinceImagePulled` only with `transition`, Wharf also with
/// `expire` (expiring what has not been pulled for that long, an image never pulled counting
/// from its push, as ECR counts).
public struct LifecyclePolicy: Sendable, Hashable, Codable {
    /// The rules.
    public var rules: [Rule]

    /// Creates a policy, checking it as ECR does.
    public init(rules: [Rule]) throws(LifecyclePolicyError) {
        self.rules = rules
        try validate()
    }

    /// Reads a policy's JSON (`lifecyclePolicyText`), strictly: unknown keys, `null`s and
    /// wrong types are errors, as ECR's schema makes them.
    public init(json: Data) throws(LifecyclePolicyError) {
        do {
            self = try JSONDecoder().decode(LifecyclePolicy.self, from: json)
        } catch let error as LifecyclePolicyError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw LifecyclePolicyError(path: Self.path(context.codingPath), problem: context.debugDescription)
        } catch let DecodingError.keyNotFound(key, context) {
            throw LifecyclePolicyError(path: Self.path(context.codingPath + [key]), problem: "required")
        } catch let DecodingError.typeMismatch(type, context) {
            throw LifecyclePolicyError(path: Self.path(context.codingPath), problem: "expected \(type)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw LifecyclePolicyError(path: Self.path(context.codingPath), problem: "must not be null")
        } catch {
            throw LifecyclePolicyError(path: "", problem: "\(error)")
        }
        try validate()
    }

    /// Decodes a policy (unvalidated until ``validate()``).
    public init(from decoder: any Decoder) throws {
        let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        rules = try container.decode([Rule].self, forKey: .rules)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case rules
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }

    /// Checks the policy as ECR does: unique priorities, `any` last, tag lists only (and
    /// exactly one of them) with `tagged`, at most four `*` per pattern, positive counts,
    /// `countUnit: days` exactly with the `since` count types, one untagged rule.
    public func validate() throws(LifecyclePolicyError) {
        guard !rules.isEmpty else {
            throw LifecyclePolicyError(path: "rules", problem: "at least one rule is required")
        }
        var priorities = Set<Int>()
        let highest = rules.map(\.rulePriority).max() ?? 0
        var untaggedRules = 0
        var prefixSets = Set<[String]>()
        for (index, rule) in rules.enumerated() {
            let at = "rules[\(index)]"
            func fail(_ field: String, _ problem: String) -> LifecyclePolicyError {
                LifecyclePolicyError(path: field.isEmpty ? at : "\(at).\(field)", problem: problem)
            }
            let selection = rule.selection
            guard rule.rulePriority >= 1 else { throw fail("rulePriority", "must be a positive integer") }
            guard priorities.insert(rule.rulePriority).inserted else {
                throw fail(
                    "rulePriority", "\(rule.rulePriority) is used by another rule; priorities must be unique")
            }
            switch selection.tagStatus {
            case .tagged:
                let lists = [selection.tagPrefixList, selection.tagPatternList].compactMap(\.self)
                guard lists.count == 1, let list = lists.first, !list.isEmpty else {
                    throw fail(
                        "selection",
                        "tagStatus tagged needs exactly one of tagPrefixList and tagPatternList, not empty")
                }
                for pattern in selection.tagPatternList ?? [] where pattern.filter({ $0 == "*" }).count > 4 {
                    throw fail("selection.tagPatternList", "\"\(pattern)\" has more than four wildcards (*)")
                }
                if let prefixes = selection.tagPrefixList, !prefixSets.insert(prefixes.sorted()).inserted {
                    throw fail("selection.tagPrefixList", "another rule selects the same set of prefixes")
                }
            case .untagged, .any:
                guard selection.tagPrefixList == nil, selection.tagPatternList == nil else {
                    throw fail(
                        "selection", "tagPrefixList and tagPatternList are only allowed with tagStatus tagged"
                    )
                }
                if selection.tagStatus == .untagged {
                    untaggedRules += 1
                    guard untaggedRules == 1 else {
                        throw fail("selection", "only one rule may select untagged images")
                    }
                }
                if selection.tagStatus == .any, rule.rulePriority != highest {
                    throw fail("rulePriority", "a rule with tagStatus any must have the highest rulePriority")
                }
            }
            guard selection.countNumber >= 1 else {
                throw fail("selection.countNumber", "must be at least 1")
            }
            switch selection.countType {
            case .imageCountMoreThan:
                guard selection.countUnit == nil else {
                    throw fail("selection.countUnit", "is only allowed with the sinceImage count types")
                }
            case .sinceImagePushed, .sinceImagePulled:
                guard selection.countUnit == "days" else {
                    throw fail("selection.countUnit", "must be \"days\" with \(selection.countType.rawValue)")
                }
            }
            if let storageClass = selection.storageClass, storageClass != "standard" {
                throw fail(
                    "selection.storageClass", "only \"standard\" is supported: Wharf has no archive storage")
            }
            guard rule.action.type == "expire" else {
                throw fail(
                    "action.type",
                    "only \"expire\" is supported (\"\(rule.action.type)\" needs archive storage)")
            }
            guard rule.action.targetStorageClass == nil else {
                throw fail(
                    "action.targetStorageClass",
                    "is only allowed with transition, which Wharf does not support")
            }
        }
    }
}

/// A lifecycle policy ECR would refuse, with where and why.
public struct LifecyclePolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the JSON (`rules[1].selection.countUnit`).
    public var path: String
    /// What is wrong.
    public var problem: String

    /// Creates an error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `lifecycle policy: rules[1].selection.countUnit: must be "days" ...`.
    public var description: String {
        "lifecycle policy: " + (path.isEmpty ? problem : "\(path): \(problem)")
    }
}
