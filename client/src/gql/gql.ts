/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AuditPage_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      kind\n      id\n      label\n    }\n    target {\n      kind\n      id\n    }\n    details\n    requestId\n  }\n": typeof types.AuditPage_EntryFragmentDoc,
    "\n  query AuditPage_List($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...AuditPage_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditPage_ListDocument,
    "\n  subscription AuditPage_Events($action: String) {\n    auditEvents(action: $action) {\n      ...AuditPage_Entry\n    }\n  }\n": typeof types.AuditPage_EventsDocument,
    "\n  query DashboardPage_RecentAudit($first: Int!, $from: DateTime!) {\n    auditLog(first: $first, filter: { from: $from }) {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": typeof types.DashboardPage_RecentAuditDocument,
    "\n  fragment SettingsPage_AlertSettings on AlertSettings {\n    licenseExpiring\n    capacityWarnings\n    dailyReports\n    alertEmail\n    updatedAt\n    updatedBy\n  }\n": typeof types.SettingsPage_AlertSettingsFragmentDoc,
    "\n  query SettingsPage_Alerts {\n    alertSettings {\n      ...SettingsPage_AlertSettings\n    }\n  }\n": typeof types.SettingsPage_AlertsDocument,
    "\n  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...SettingsPage_AlertSettings\n        }\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on BaseError {\n        message\n      }\n    }\n  }\n": typeof types.SettingsPage_UpdateAlertsDocument,
};
const documents: Documents = {
    "\n  fragment AuditPage_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      kind\n      id\n      label\n    }\n    target {\n      kind\n      id\n    }\n    details\n    requestId\n  }\n": types.AuditPage_EntryFragmentDoc,
    "\n  query AuditPage_List($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...AuditPage_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditPage_ListDocument,
    "\n  subscription AuditPage_Events($action: String) {\n    auditEvents(action: $action) {\n      ...AuditPage_Entry\n    }\n  }\n": types.AuditPage_EventsDocument,
    "\n  query DashboardPage_RecentAudit($first: Int!, $from: DateTime!) {\n    auditLog(first: $first, filter: { from: $from }) {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": types.DashboardPage_RecentAuditDocument,
    "\n  fragment SettingsPage_AlertSettings on AlertSettings {\n    licenseExpiring\n    capacityWarnings\n    dailyReports\n    alertEmail\n    updatedAt\n    updatedBy\n  }\n": types.SettingsPage_AlertSettingsFragmentDoc,
    "\n  query SettingsPage_Alerts {\n    alertSettings {\n      ...SettingsPage_AlertSettings\n    }\n  }\n": types.SettingsPage_AlertsDocument,
    "\n  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...SettingsPage_AlertSettings\n        }\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on BaseError {\n        message\n      }\n    }\n  }\n": types.SettingsPage_UpdateAlertsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditPage_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      kind\n      id\n      label\n    }\n    target {\n      kind\n      id\n    }\n    details\n    requestId\n  }\n"): (typeof documents)["\n  fragment AuditPage_Entry on AuditEntry {\n    id\n    at\n    action\n    actor {\n      kind\n      id\n      label\n    }\n    target {\n      kind\n      id\n    }\n    details\n    requestId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditPage_List($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...AuditPage_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditPage_List($first: Int!, $after: String, $filter: AuditFilter) {\n    auditLog(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...AuditPage_Entry\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuditPage_Events($action: String) {\n    auditEvents(action: $action) {\n      ...AuditPage_Entry\n    }\n  }\n"): (typeof documents)["\n  subscription AuditPage_Events($action: String) {\n    auditEvents(action: $action) {\n      ...AuditPage_Entry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardPage_RecentAudit($first: Int!, $from: DateTime!) {\n    auditLog(first: $first, filter: { from: $from }) {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query DashboardPage_RecentAudit($first: Int!, $from: DateTime!) {\n    auditLog(first: $first, filter: { from: $from }) {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SettingsPage_AlertSettings on AlertSettings {\n    licenseExpiring\n    capacityWarnings\n    dailyReports\n    alertEmail\n    updatedAt\n    updatedBy\n  }\n"): (typeof documents)["\n  fragment SettingsPage_AlertSettings on AlertSettings {\n    licenseExpiring\n    capacityWarnings\n    dailyReports\n    alertEmail\n    updatedAt\n    updatedBy\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsPage_Alerts {\n    alertSettings {\n      ...SettingsPage_AlertSettings\n    }\n  }\n"): (typeof documents)["\n  query SettingsPage_Alerts {\n    alertSettings {\n      ...SettingsPage_AlertSettings\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...SettingsPage_AlertSettings\n        }\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on BaseError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {\n    updateAlertSettings(input: $input) {\n      __typename\n      ... on MutationUpdateAlertSettingsSuccess {\n        data {\n          ...SettingsPage_AlertSettings\n        }\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on BaseError {\n        message\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;