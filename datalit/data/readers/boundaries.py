"""Boundary files (seoul_gu_boundaries, seoul_dong_boundaries) as GeoJSON FeatureCollections.

Each reader returns a plain FeatureCollection dict whose feature properties are renamed to
English (catalog order); ``datalit.data.load`` turns it into a GeoDataFrame (EPSG:4326).
The KOSTAT TopoJSON file is decoded to GeoJSON here (quantised, delta-encoded arcs).
"""
from __future__ import annotations

import json
from pathlib import Path



def _dot(name: str) -> str:
    """Scalar form of readers.common.normalize_dong: '.' -> '·' (종로1.2.3.4가동)."""
    return name.strip().replace(".", "·")


def _load(path) -> dict:
    with open(Path(path), encoding="utf-8") as fh:
        return json.load(fh)


def _rename(features, mapping: dict[str, str], derive=None) -> dict:
    out = []
    for feat in features:
        props = feat.get("properties") or {}
        missing = [k for k in mapping if k not in props]
        if missing:
            raise ValueError(f"expected properties not found: {missing}; got {sorted(props)}")
        new = {eng: props[ko] for ko, eng in mapping.items()}
        if derive is not None:
            new = derive(new)
        out.append({"type": "Feature", "properties": new, "geometry": feat["geometry"]})
    return {"type": "FeatureCollection", "features": out}


def _as_str(props: dict, *keys) -> dict:
    for k in keys:
        if props.get(k) is not None:
            props[k] = str(props[k]).strip()
    return props


# ---- 자치구 (gu) -------------------------------------------------------------------------

JUSO_GU = {"SIG_CD": "gu_code", "SIG_KOR_NM": "gu", "SIG_ENG_NM": "gu_en",
           "ESRI_PK": "esri_pk", "SHAPE_AREA": "shape_area", "SHAPE_LEN": "shape_len"}
KOSTAT_GU = {"code": "kostat_code", "name": "gu", "name_eng": "gu_en", "base_year": "base_year"}


def read_gu_juso_2015(paths) -> dict:
    """25 gu, 행정안전부 SIG_CD codes (the codes most Seoul datasets use)."""
    return _rename(_load(paths[0])["features"], JUSO_GU, lambda p: _as_str(p, "gu_code", "gu", "gu_en"))


def read_gu_kostat_2013(paths) -> dict:
    """25 gu with KOSTAT census codes (11250 = 강동구, not the 행정안전부 11740)."""
    return _rename(_load(paths[0])["features"], KOSTAT_GU, lambda p: _as_str(p, "kostat_code", "gu", "gu_en", "base_year"))


def _decode_arcs(topo: dict) -> list[list[list[float]]]:
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            coords = []
            for dx, dy, *_ in arc:       # delta-encoded quantised positions
                x += dx
                y += dy
                coords.append([x * sx + tx, y * sy + ty])
        else:
            coords = [list(p[:2]) for p in arc]
        arcs.append(coords)
    return arcs


def _ring(indices, arcs) -> list[list[float]]:
    ring: list[list[float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]   # negative index = reversed arc
        ring.extend(pts if not ring else pts[1:])      # consecutive arcs share an end point
    return ring


def topojson_to_geojson(topo: dict, object_name: str | None = None) -> dict:
    """Decode one TopoJSON object (Polygon/MultiPolygon geometries) to a FeatureCollection."""
    if topo.get("type") != "Topology":
        raise ValueError("not a TopoJSON Topology")
    name = object_name or next(iter(topo["objects"]))
    arcs = _decode_arcs(topo)
    features = []
    for geom in topo["objects"][name]["geometries"]:
        kind = geom["type"]
        if kind == "Polygon":
            coords = [_ring(r, arcs) for r in geom["arcs"]]
        elif kind == "MultiPolygon":
            coords = [[_ring(r, arcs) for r in poly] for poly in geom["arcs"]]
        else:
            raise ValueError(f"unsupported TopoJSON geometry type {kind}")
        features.append({"type": "Feature", "properties": geom.get("properties", {}),
                         "geometry": {"type": kind, "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}


def read_gu_kostat_2013_topo(paths) -> dict:
    """The TopoJSON version of the simplified KOSTAT 2013 gu boundaries, decoded to GeoJSON."""
    geo = topojson_to_geojson(_load(paths[0]), "seoul_municipalities_geo")
    return _rename(geo["features"], KOSTAT_GU, lambda p: _as_str(p, "kostat_code", "gu", "gu_en", "base_year"))


# ---- 동 (dong) ---------------------------------------------------------------------------

ADMDONG = {"OBJECTID": "object_id", "adm_nm": "adm_name", "adm_cd": "kostat_code", "adm_cd2": "adm_code10",
           "sgg": "gu_code", "sggnm": "gu", "sido": "sido_code", "sidonm": "sido"}
KOSTAT_DONG = {"code": "kostat_code", "name": "dong", "name_eng": "dong_en", "base_year": "base_year"}
JUSO_EMD = {"EMD_CD": "legal_dong_code", "EMD_KOR_NM": "legal_dong", "EMD_ENG_NM": "legal_dong_en",
            "ESRI_PK": "esri_pk", "SHAPE_AREA": "shape_area", "SHAPE_LEN": "shape_len"}


def _admdong_props(p: dict) -> dict:
    _as_str(p, "adm_name", "kostat_code", "adm_code10", "gu_code", "gu", "sido_code", "sido")
    dong = p["adm_name"].split()[-1]
    p["dong"] = _dot(dong)
    order = ["object_id", "adm_name", "sido", "sido_code", "gu", "gu_code", "dong", "kostat_code", "adm_code10"]
    return {k: p[k] for k in order}


def read_admdong_2021(paths) -> dict:
    """425 행정동 (admdongkor, April 2021) with gu, dong, KOSTAT and 행정안전부 codes."""
    return _rename(_load(paths[0])["features"], ADMDONG, _admdong_props)


def read_dong_kostat_2013(paths) -> dict:
    """423 census dongs of 2013 (KOSTAT codes; dong names repeat across gu, join on the code)."""
    def derive(p):
        _as_str(p, "kostat_code", "dong", "dong_en", "base_year")
        p["dong"] = _dot(p["dong"])
        p["kostat_gu_code"] = p["kostat_code"][:5]
        return {k: p[k] for k in ["kostat_code", "kostat_gu_code", "dong", "dong_en", "base_year"]}
    return _rename(_load(paths[0])["features"], KOSTAT_DONG, derive)


def read_legal_dong_2015(paths) -> dict:
    """467 법정동 (legal dongs, JUSO 2015); gu_code = first five digits of the 8-digit EMD code."""
    def derive(p):
        _as_str(p, "legal_dong_code", "legal_dong", "legal_dong_en")
        p["gu_code"] = p["legal_dong_code"][:5]
        return {k: p[k] for k in ["legal_dong_code", "gu_code", "legal_dong", "legal_dong_en",
                                  "esri_pk", "shape_area", "shape_len"]}
    return _rename(_load(paths[0])["features"], JUSO_EMD, derive)
