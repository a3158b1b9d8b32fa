import Schema
import Template

/// TTL enabled needs the attribute that holds the expiry time.
struct TimeToLiveAttributeRule: Rule {
    let description = RuleDescription(
        id: "DDB501", name: "ttl-attribute", severity: .error,
        summary: "TimeToLiveSpecification with Enabled true needs AttributeName",
        help: "name the attribute that holds each item's expiry time in epoch seconds",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  TimeToLiveSpecification: {Enabled: true, AttributeName: expiresAt}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      TimeToLiveSpecification: 1️⃣{Enabled: true}
                """, "TTL of 'T' is enabled but names no AttributeName")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard let ttl = table.timeToLive, ttl.enabled?.value == true, ttl.attributeName == nil else { return }
            sink.report("TTL of '\(table.logicalId)' is enabled but names no AttributeName", at: ttl.range, in: table)
        }
    }
}

/// TTL only deletes items whose TTL attribute is a Number; a key attribute typed S or B can never expire.
struct TimeToLiveAttributeTypeRule: Rule {
    let description = RuleDescription(
        id: "DDB502", name: "ttl-attribute-type", severity: .warning,
        summary:
            "TTL expires only items whose TTL attribute is a Number of epoch seconds; as a string or binary key it never fires",
        help: "store the expiry time as a Number (epoch seconds), in an attribute of its own",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: expiresAt, KeyType: RANGE}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: expiresAt, AttributeType: N}]
                  BillingMode: PAY_PER_REQUEST
                  TimeToLiveSpecification: {Enabled: true, AttributeName: expiresAt}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: expiresAt, KeyType: RANGE}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: expiresAt, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      TimeToLiveSpecification: {Enabled: true, AttributeName: 1️⃣expiresAt}
                """, "TTL attribute 'expiresAt' is defined as type S")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard let ttl = table.timeToLive, ttl.enabled?.value == true, let name = ttl.attributeName,
                let type = name.value.flatMap({ table.attributeDefinition(named: $0) })?.type.value, type != "N"
            else { return }
            sink.report(
                "TTL attribute '\(name.value!)' is defined as type \(type): TTL never expires items whose value is not a Number",
                at: name.range, in: table)
        }
    }
}

/// RecoveryPeriodInDays is 1–35 and only meaningful with PITR enabled.
struct PointInTimeRecoveryPeriodRule: Rule {
    let description = RuleDescription(
        id: "DDB601", name: "pitr-period", severity: .error,
        summary: "RecoveryPeriodInDays is 1 to 35, and only allowed when PointInTimeRecoveryEnabled is true",
        help: "use a period of 1 to 35 days with PITR enabled",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 1️⃣90}
                  U:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      PointInTimeRecoverySpecification: {RecoveryPeriodInDays: 2️⃣7}
                """, "RecoveryPeriodInDays of 'T' is 90; it must be 1 to 35",
                "RecoveryPeriodInDays of 'U' is set but PointInTimeRecoveryEnabled is not true")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            let specifications =
                [table.pointInTimeRecovery].compactMap { $0 } + table.replicas.compactMap(\.pointInTimeRecovery)
            for pitr in specifications {
                guard let period = pitr.recoveryPeriodInDays, let days = period.value else { continue }
                if !(1...35).contains(days) {
                    sink.report(
                        "RecoveryPeriodInDays of '\(table.logicalId)' is \(days); it must be 1 to 35", at: period.range,
                        in: table)
                } else if pitr.enabled?.value != true, pitr.enabled?.isUnknown != true {
                    sink.report(
                        "RecoveryPeriodInDays of '\(table.logicalId)' is set but PointInTimeRecoveryEnabled is not true",
                        at: period.range, in: table)
                }
            }
        }
    }
}

/// SSESpecification: SSEType KMS only (AES256 also on global tables); a key needs SSEType KMS.
struct EncryptionSettingsRule: Rule {
    let description = RuleDescription(
        id: "DDB701", name: "sse-settings", severity: .error,
        summary:
            "SSEType is KMS (global tables also accept AES256), KMSMasterKeyId requires SSEType KMS, and both need SSEEnabled true",
        help: "for a customer managed key write SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: <key>",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/app}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      SSESpecification: {SSEEnabled: true, SSEType: 1️⃣AES256}
                  U:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      SSESpecification: {SSEEnabled: true, KMSMasterKeyId: 2️⃣alias/app}
                  V:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      SSESpecification: 3️⃣{SSEEnabled: false, SSEType: KMS}
                """, "SSEType 'AES256' is not allowed on AWS::DynamoDB::Table; use KMS",
                "KMSMasterKeyId requires SSEType KMS",
                "SSEEnabled is false, so SSEType and KMSMasterKeyId have no effect")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard let sse = table.encryption else { return }
            // SSEType is KMS or absent, on tables and global tables alike.
            if let type = sse.type, let text = type.value, text != "KMS" {
                sink.report(
                    "SSEType '\(text)' is not allowed on \(table.kind.rawValue); use KMS", at: type.range, in: table)
            }
            if let key = sse.kmsMasterKeyId, sse.type?.value != "KMS", sse.type?.isUnknown != true {
                sink.report("KMSMasterKeyId requires SSEType KMS", at: key.range, in: table)
            }
            if sse.enabled?.value == false, sse.type != nil || sse.kmsMasterKeyId != nil {
                sink.report(
                    "SSEEnabled is false, so SSEType and KMSMasterKeyId have no effect", at: sse.range, in: table)
            }
        }
    }
}

/// TableClass is STANDARD or STANDARD_INFREQUENT_ACCESS.
struct TableClassValueRule: Rule {
    let description = RuleDescription(
        id: "DDB702", name: "table-class", severity: .error,
        summary: "TableClass is STANDARD or STANDARD_INFREQUENT_ACCESS",
        help: "use STANDARD_INFREQUENT_ACCESS for tables that are mostly stored and rarely read",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  TableClass: STANDARD_INFREQUENT_ACCESS
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      TableClass: 1️⃣INFREQUENT_ACCESS
                """, "TableClass 'INFREQUENT_ACCESS' is not STANDARD or STANDARD_INFREQUENT_ACCESS")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            for field in [table.tableClass].compactMap({ $0 }) + table.replicas.compactMap(\.tableClass) {
                guard let text = field.value, !Table.tableClasses.contains(text) else { continue }
                sink.report(
                    "TableClass '\(text)' is not STANDARD or STANDARD_INFREQUENT_ACCESS", at: field.range, in: table)
            }
        }
    }
}

/// Tags: at most 50, keys 1–128 characters and unique, values up to 256, no `aws:` prefix.
struct TagsRule: Rule {
    static let limit = 50

    let description = RuleDescription(
        id: "DDB801", name: "tags", severity: .error,
        summary:
            "at most 50 tags, keys of 1 to 128 characters and unique, values up to 256 characters, and the 'aws:' prefix is reserved",
        help: "shorten, deduplicate or drop the tag",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  Tags: [{Key: team, Value: payments}, {Key: cost-center, Value: ''}]
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      Tags:
                        - {Key: team, Value: a}
                        - {Key: 1️⃣team, Value: b}
                        - {Key: 2️⃣'aws:owner', Value: c}
                        - {Key: 3️⃣'', Value: d}
                """, "tag key 'team' is used twice", "tag key 'aws:owner' uses the reserved 'aws:' prefix",
                "tag key '' is 0 characters")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            check(table.tags, range: table.tagsRange, table: table, into: &sink)
            for replica in table.replicas { check(replica.tags, range: replica.range, table: table, into: &sink) }
        }
    }

    private func check(_ tags: [Tag], range: SourceRange?, table: TableRef, into sink: inout FindingSink) {
        if tags.count > Self.limit {
            sink.report("\(tags.count) tags; at most \(Self.limit)", at: range ?? table.idRange, in: table)
        }
        var seen: Set<String> = []
        for tag in tags {
            guard let key = tag.key.value else { continue }
            if !(1...128).contains(key.count) {
                sink.report(
                    "tag key '\(key)' is \(key.count) characters; it needs 1 to 128", at: tag.key.range, in: table)
            } else if !seen.insert(key).inserted {
                sink.report("tag key '\(key)' is used twice", at: tag.key.range, in: table)
            } else if key.lowercased().hasPrefix("aws:") {
                sink.report("tag key '\(key)' uses the reserved 'aws:' prefix", at: tag.key.range, in: table)
            }
            if let value = tag.value.value, value.count > 256 {
                sink.report(
                    "the value of tag '\(key)' is \(value.count) characters; at most 256", at: tag.value.range,
                    in: table)
            }
        }
    }
}
