import { useQuery } from "urql";
import { graphql } from "../gql";

const AssetDetailDocument = graphql(`
  query AssetDetail($path: [String!]!) {
    asset(key: { path: $path }) {
      key { path }
      locationName
      groupName
      description
      kinds
      owners
      tags { key value }
      codeVersion
      isMaterializable
      isPartitioned
      partitionsDescription
      automationCondition
      metadata { label kind value }
      dependencyKeys { path }
      dependedByKeys { path }
      lastRunId
      staleStatus { status causes { category reason dependency { path } } }
      materializations(first: 200) {
        nodes { storageId runId timestamp partition description metadata { label kind value number } }
      }
      partitionStatus {
        description kind firstKey lastKey error
        counts { materialized failed inProgress missing total }
        ranges { start end status count }
      }
      checks {
        name description blocking
        evaluations(first: 20) { passed severity runId timestamp description }
      }
    }
  }
`);

export function useAssetDetail(path: string[]) {
  const [result, refetch] = useQuery({ query: AssetDetailDocument, variables: { path } });
  return { asset: result.data?.asset ?? null, fetching: result.fetching, error: result.error?.message ?? null, refetch };
}
