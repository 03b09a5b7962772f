import { graphql } from '../gql/index.ts';

// What the Infrastructure page reads, follows and changes, in one place for its components.

graphql(`
  fragment InfrastructurePage_Pod on InfrastructurePod {
    name
    component
    phase
    ready
    restarts
    node
    version
    startedAt
    lastTransitionAt
    tenant
    pool
  }
`);

graphql(`
  fragment InfrastructurePage_Database on DatabaseServerStatus {
    serverVersion
    startedAt
    connections
    maxConnections
    sizeBytes
    tenants {
      slug
      sizeBytes
    }
  }
`);

graphql(`
  fragment InfrastructurePage_Upgrade on WorkerUpgrade {
    id
    component
    version
    previousVersion
    state
    error
    requestedBy
    rollbackOf
    createdAt
    updatedAt
    finishedAt
    deployments {
      name
      tenant
      pool
      fromVersion
      toVersion
      replicas
      updatedReplicas
      readyReplicas
      totalReplicas
      done
      gone
    }
  }
`);

/** The whole state first (SNAPSHOT), then what changes; `after` resumes from a message's cursor. */
export const InfrastructurePage_Changed = graphql(`
  subscription InfrastructurePage_Changed($after: String) {
    infrastructureChanged(after: $after) {
      kind
      cursor
      component
      pods {
        ...InfrastructurePage_Pod
      }
      removedPods
      versions
      requestedVersion
      versionDrift
      database {
        ...InfrastructurePage_Database
      }
      databaseError
      snapshot {
        components {
          component
          versions
          requestedVersion
          versionDrift
          pods {
            ...InfrastructurePage_Pod
          }
        }
        database {
          ...InfrastructurePage_Database
        }
        databaseError
        upgrades {
          ...InfrastructurePage_Upgrade
        }
      }
    }
  }
`);

export const InfrastructurePage_Upgrades = graphql(`
  query InfrastructurePage_Upgrades($first: Int!) {
    workerUpgrades(first: $first) {
      edges {
        node {
          ...InfrastructurePage_Upgrade
        }
      }
    }
  }
`);

export const InfrastructurePage_UpgradeChanged = graphql(`
  subscription InfrastructurePage_UpgradeChanged($id: ID!) {
    workerUpgradeChanged(id: $id) {
      ...InfrastructurePage_Upgrade
    }
  }
`);

export const InfrastructurePage_UpgradeWorkers = graphql(`
  mutation InfrastructurePage_UpgradeWorkers($component: WorkerComponent!, $version: String!) {
    upgradeWorkers(component: $component, version: $version) {
      __typename
      ... on MutationUpgradeWorkersSuccess {
        data {
          ...InfrastructurePage_Upgrade
        }
      }
      ...MutationProblem_Error
    }
  }
`);

export const InfrastructurePage_Rollback = graphql(`
  mutation InfrastructurePage_Rollback($id: ID!) {
    rollbackWorkerUpgrade(id: $id) {
      __typename
      ... on MutationRollbackWorkerUpgradeSuccess {
        data {
          ...InfrastructurePage_Upgrade
        }
      }
      ...MutationProblem_Error
    }
  }
`);

export const InfrastructurePage_Upgrade = graphql(`
  query InfrastructurePage_Upgrade($id: ID!) {
    workerUpgrade(id: $id) {
      ...InfrastructurePage_Upgrade
    }
  }
`);
