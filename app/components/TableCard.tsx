import type React from "react";
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";

type Cell = string | number | React.ReactNode;

/** A titled table in a card, or a line saying there is nothing yet when `empty` is given. */
export function TableCard(props: {
  title: string;
  empty?: string | null;
  columnContentTypes: Array<"text" | "numeric">;
  headings: string[];
  rows: Cell[][];
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {props.title}
        </Text>
        {props.empty ? (
          <Text as="p">{props.empty}</Text>
        ) : (
          <DataTable columnContentTypes={props.columnContentTypes} headings={props.headings} rows={props.rows} />
        )}
      </BlockStack>
    </Card>
  );
}
