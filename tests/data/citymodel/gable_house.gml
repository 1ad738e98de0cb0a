<?xml version="1.0" encoding="UTF-8"?>
<core:CityModel xmlns:core="http://www.opengis.net/citygml/1.0" xmlns:bldg="http://www.opengis.net/citygml/building/1.0" xmlns:gen="http://www.opengis.net/citygml/generics/1.0" xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">
  <gml:boundedBy>
    <gml:Envelope srsName="urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH*GCG2016" srsDimension="3">
      <gml:lowerCorner>369100 5713100 60</gml:lowerCorner>
      <gml:upperCorner>369130 5713108 69</gml:upperCorner>
    </gml:Envelope>
  </gml:boundedBy>
  <core:cityObjectMember>
    <bldg:Building gml:id="DENW36ALtest0001">
      <core:creationDate>2024-03-12</core:creationDate>
      <gen:stringAttribute name="Gemeindeschluessel">
        <gen:value>05916000</gen:value>
      </gen:stringAttribute>
      <gen:intAttribute name="Testzahl">
        <gen:value>7</gen:value>
      </gen:intAttribute>
      <bldg:function>31001_1010</bldg:function>
      <bldg:roofType>3100</bldg:roofType>
      <bldg:measuredHeight uom="urn:adv:uom:m">9.0</bldg:measuredHeight>
      <bldg:storeysAboveGround>2</bldg:storeysAboveGround>
      <bldg:lod2Solid>
        <gml:Solid>
          <gml:exterior>
            <gml:CompositeSurface>
              <gml:surfaceMember xlink:href="#DENW36ALtest0001_ground"/>
              <gml:surfaceMember xlink:href="#DENW36ALtest0001_roof_south"/>
              <gml:surfaceMember xlink:href="#DENW36ALtest0001_roof_north"/>
              <gml:surfaceMember xlink:href="#DENW36ALtest0001_wall_south"/>
              <gml:surfaceMember xlink:href="#DENW36ALtest0001_wall_north"/>
              <gml:surfaceMember xlink:href="#DENW36ALtest0001_wall_east"/>
              <gml:surfaceMember xlink:href="#DENW36ALtest0001_wall_west"/>
            </gml:CompositeSurface>
          </gml:exterior>
        </gml:Solid>
      </bldg:lod2Solid>
      <bldg:boundedBy>
        <bldg:GroundSurface gml:id="DENW36ALtest0001_S_ground">
          <bldg:lod2MultiSurface>
            <gml:MultiSurface>
              <gml:surfaceMember>
                <gml:Polygon gml:id="DENW36ALtest0001_ground">
                  <gml:exterior>
                    <gml:LinearRing>
                      <gml:posList srsDimension="3">369100 5713100 60 369100 5713108 60 369110 5713108 60 369110 5713100 60 369100 5713100 60</gml:posList>
                    </gml:LinearRing>
                  </gml:exterior>
                </gml:Polygon>
              </gml:surfaceMember>
            </gml:MultiSurface>
          </bldg:lod2MultiSurface>
        </bldg:GroundSurface>
      </bldg:boundedBy>
      <bldg:boundedBy>
        <bldg:RoofSurface gml:id="DENW36ALtest0001_S_roof_south">
          <bldg:lod2MultiSurface>
            <gml:MultiSurface>
              <gml:surfaceMember>
                <gml:Polygon gml:id="DENW36ALtest0001_roof_south">
                  <gml:exterior>
                    <gml:LinearRing>
                      <gml:posList srsDimension="3">369100 5713100 66 369110 5713100 66 369110 5713104 69 369100 5713104 69 369100 5713100 66</gml:posList>
                    </gml:LinearRing>
                  </gml:exterior>
                </gml:Polygon>
              </gml:surfaceMember>
            </gml:MultiSurface>
          </bldg:lod2MultiSurface>
        </bldg:RoofSurface>
      </bldg:boundedBy>
      <bldg:boundedBy>
        <bldg:RoofSurface gml:id="DENW36ALtest0001_S_roof_north">
          <bldg:lod2MultiSurface>
            <gml:MultiSurface>
              <gml:surfaceMember>
                <gml:Polygon gml:id="DENW36ALtest0001_roof_north">
                  <gml:exterior>
                    <gml:LinearRing>
                      <gml:posList srsDimension="3">369110 5713108 66 369100 5713108 66 369100 5713104 69 369110 5713104 69 369110 5713108 66</gml:posList>
                    </gml:LinearRing>
                  </gml:exterior>
                </gml:Polygon>
              </gml:surfaceMember>
            </gml:MultiSurface>
          </bldg:lod2MultiSurface>
        </bldg:RoofSurface>
      </bldg:boundedBy>
      <bldg:boundedBy>
        <bldg:WallSurface gml:id="DENW36ALtest0001_S_wall_south">
          <bldg:lod2MultiSurface>
            <gml:MultiSurface>
              <gml:surfaceMember>
                <gml:Polygon gml:id="DENW36ALtest0001_wall_south">
                  <gml:exterior>
                    <gml:LinearRing>
                      <gml:posList srsDimension="3">369100 5713100 60 369110 5713100 60 369110 5713100 66 369100 5713100 66 369100 5713100 60</gml:posList>
                    </gml:LinearRing>
                  </gml:exterior>
                </gml:Polygon>
              </gml:surfaceMember>
            </gml:MultiSurface>
          </bldg:lod2MultiSurface>
        </bldg:WallSurface>
      </bldg:boundedBy>
      <bldg:boundedBy>
        <bldg:WallSurface gml:id="DENW36ALtest0001_S_wall_north">
          <bldg:lod2MultiSurface>
            <gml:MultiSurface>
              <gml:surfaceMember>
                <gml:Polygon gml:id="DENW36ALtest0001_wall_north">
                  <gml:exterior>
                    <gml:LinearRing>
                      <gml:posList srsDimension="3">369110 5713108 60 369100 5713108 60 369100 5713108 66 369110 5713108 66 369110 5713108 60</gml:posList>
                    </gml:LinearRing>
                  </gml:exterior>
                </gml:Polygon>
              </gml:surfaceMember>
            </gml:MultiSurface>
          </bldg:lod2MultiSurface>
        </bldg:WallSurface>
      </bldg:boundedBy>
      <bldg:boundedBy>
        <bldg:WallSurface gml:id="DENW36ALtest0001_S_wall_east">
          <bldg:lod2MultiSurface>
            <gml:MultiSurface>
              <gml:surfaceMember>
                <gml:Polygon gml:id="DENW36ALtest0001_wall_east">
                  <gml:exterior>
                    <gml:LinearRing>
                      <gml:posList srsDimension="3">369110 5713100 60 369110 5713108 60 369110 5713108 66 369110 5713104 69 369110 5713100 66 369110 5713100 60</gml:posList>
                    </gml:LinearRing>
                  </gml:exterior>
                </gml:Polygon>
              </gml:surfaceMember>
            </gml:MultiSurface>
          </bldg:lod2MultiSurface>
        </bldg:WallSurface>
      </bldg:boundedBy>
      <bldg:boundedBy>
        <bldg:WallSurface gml:id="DENW36ALtest0001_S_wall_west">
          <bldg:lod2MultiSurface>
            <gml:MultiSurface>
              <gml:surfaceMember>
                <gml:Polygon gml:id="DENW36ALtest0001_wall_west">
                  <gml:exterior>
                    <gml:LinearRing>
                      <gml:posList srsDimension="3">369100 5713108 60 369100 5713100 60 369100 5713100 66 369100 5713104 69 369100 5713108 66 369100 5713108 60</gml:posList>
                    </gml:LinearRing>
                  </gml:exterior>
                </gml:Polygon>
              </gml:surfaceMember>
            </gml:MultiSurface>
          </bldg:lod2MultiSurface>
        </bldg:WallSurface>
      </bldg:boundedBy>
    </bldg:Building>
  </core:cityObjectMember>
</core:CityModel>
