"""Write every relation of some schemas of a Spark (session mode) build as Parquet.

Run by pytests/engines.py in a subprocess, with the env of the build (warehouse directory
and Derby metastore from JOURNEY_KPIS_SPARK_WAREHOUSE / JOURNEY_KPIS_SPARK_METASTORE, as
profiles.yml.example's spark target reads them). Views are evaluated; timestamps are
written without zone (UTC wall clock, the session being UTC), as the contracts mean them.
Output: <out>/<schema>/<relation>/*.parquet.
"""

from __future__ import annotations

import argparse
import os

from pyspark.sql import SparkSession
from pyspark.sql import functions as F  # noqa: N812
from pyspark.sql.types import TimestampType


def main() -> None:
    """Export the schemas named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("schemas", nargs="+")
    args = parser.parse_args()
    warehouse = os.environ["JOURNEY_KPIS_SPARK_WAREHOUSE"]
    metastore = os.environ["JOURNEY_KPIS_SPARK_METASTORE"]
    spark = (
        SparkSession.builder.enableHiveSupport()
        .config("spark.sql.warehouse.dir", warehouse)
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={metastore};create=true",
        )
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    existing = {row.namespace for row in spark.sql("show schemas").collect()}
    for schema in args.schemas:
        if schema not in existing:
            continue
        for table in spark.catalog.listTables(schema):
            frame = spark.table(f"`{schema}`.`{table.name}`")
            for column in frame.schema.fields:
                if isinstance(column.dataType, TimestampType):
                    frame = frame.withColumn(column.name, F.col(column.name).cast("timestamp_ntz"))
            frame.coalesce(1).write.mode("overwrite").parquet(
                os.path.join(args.out, schema, table.name)
            )
    spark.stop()


if __name__ == "__main__":
    main()
