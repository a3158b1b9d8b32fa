#!/usr/bin/env python3
"""Writes a CloudFormation template of N DynamoDB tables for the benchmarks: several GSIs each, an LSI on
every third table, streams, TTL, tags, conditions and intrinsics, chained with DependsOn (lint-clean).
With a second argument C, the first C tables each get one more GSI (for a diff of C changed tables)."""
import sys


def table(i, previous, changed):
    lines = [
        f"  Table{i}:",
        "    Type: AWS::DynamoDB::Table",
        "    DeletionPolicy: Retain",
        "    UpdateReplacePolicy: Retain",
    ]
    if previous:
        lines.append(f"    DependsOn: {previous}")
    attrs = [("pk", "S"), ("sk", "S"), ("g1", "S"), ("g2", "N"), ("g3", "S")] + ([("g4", "S")] if changed else [])
    has_lsi = i % 3 == 0
    if has_lsi:
        attrs.append(("l1", "N"))
    lines += [
        "    Properties:",
        f"      TableName: !Sub '${{App}}-${{Environment}}-table-{i}'",
        "      BillingMode: PAY_PER_REQUEST",
        "      AttributeDefinitions:",
        *[f"        - {{AttributeName: {n}, AttributeType: {t}}}" for n, t in attrs],
        "      KeySchema:",
        "        - {AttributeName: pk, KeyType: HASH}",
        "        - {AttributeName: sk, KeyType: RANGE}",
        "      GlobalSecondaryIndexes:",
    ]
    for g, (h, r) in enumerate([("g1", "sk"), ("g2", "pk"), ("g3", "g2")] + ([("g4", "sk")] if changed else [])):
        lines += [
            f"        - IndexName: gsi{g}",
            "          KeySchema:",
            f"            - {{AttributeName: {h}, KeyType: HASH}}",
            f"            - {{AttributeName: {r}, KeyType: RANGE}}",
            "          Projection:",
            "            ProjectionType: INCLUDE",
            f"            NonKeyAttributes: [a{i}, b{i}, c{i}, d{i}]",
        ]
    if has_lsi:
        lines += [
            "      LocalSecondaryIndexes:",
            "        - IndexName: lsi0",
            "          KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: l1, KeyType: RANGE}]",
            "          Projection: {ProjectionType: KEYS_ONLY}",
        ]
    if i % 2 == 0:
        lines.append("      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}")
    if i % 4 == 1:
        lines.append("      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}")
    lines += [
        "      PointInTimeRecoverySpecification:",
        "        PointInTimeRecoveryEnabled: !If [IsProduction, true, false]",
        "      DeletionProtectionEnabled: !If [IsProduction, true, false]",
        "      SSESpecification: {SSEEnabled: true}",
        "      Tags:",
        "        - {Key: Application, Value: !Ref App}",
        "        - {Key: Environment, Value: !Ref Environment}",
        f"        - {{Key: Shard, Value: '{i}'}}",
    ]
    return lines


def main():
    count = int(sys.argv[1])
    changed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    out = [
        "AWSTemplateFormatVersion: '2010-09-09'",
        f"Description: Benchmark template with {count} tables",
        "Parameters:",
        "  Environment: {Type: String, Default: staging, AllowedValues: [staging, production]}",
        "  App: {Type: String, Default: bench}",
        "Conditions:",
        "  IsProduction: !Equals [!Ref Environment, production]",
        "Resources:",
    ]
    for i in range(count):
        out += table(i, f"Table{i - 1}" if i else None, i < changed)
    sys.stdout.write("\n".join(out) + "\n")


main()
