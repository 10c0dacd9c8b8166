"""One module per dataset family. A reader takes the table's file paths (in catalog order)
and returns a tidy DataFrame with the catalog's English column names (or a GeoJSON dict
for ``kind: geojson`` tables). Readers handle every quirk listed in the dataset's SOURCE.md."""
