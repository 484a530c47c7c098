;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix licenses): the software licenses package definitions refer to, as
;;; GNU Guix names them (name, URI, comment).  Package modules import this
;;; module with #:prefix license:.  schemos has the licenses its package
;;; collection and usual system configurations use, not Guix's whole list.

(define-module (guix licenses)
  #:export (license? license-name license-uri license-comment
            agpl3 agpl3+ asl2.0 bsd-0 bsd-2 bsd-3 bsd-4 cc0 cc-by-sa4.0 epl1.0
            cc-by4.0 expat freetype gpl1 gpl1+ gpl2 gpl2+ gpl3 gpl3+ fdl1.1+
            fdl1.2+ fdl1.3+ isc ibmpl1.0 lgpl2.0 lgpl2.0+ lgpl2.1 lgpl2.1+
            lgpl3 lgpl3+ mpl1.1 mpl2.0 openssl perl-license psfl public-domain
            silofl1.1 unicode unlicense wtfpl2 x11 zlib hpnd
            non-copyleft x11-style fsf-free fsdg-compatible))

(define-record-type <license>
  (license name uri comment)
  license?
  (name    license-name)
  (uri     license-uri)
  (comment license-comment))

(define agpl3
  (license "AGPL 3" "https://gnu.org/licenses/agpl.html"
           "https://gnu.org/licenses/why-affero-gpl.html"))
(define agpl3+
  (license "AGPL 3+" "https://gnu.org/licenses/agpl.html"
           "https://gnu.org/licenses/why-affero-gpl.html"))
(define asl2.0
  (license "ASL 2.0" "http://directory.fsf.org/wiki/License:Apache2.0"
           "https://www.gnu.org/licenses/license-list#apache2"))
(define bsd-0
  (license "Zero-Clause BSD" "https://spdx.org/licenses/0BSD.html"
           "https://opensource.org/licenses/0BSD"))
(define bsd-2
  (license "FreeBSD" "http://directory.fsf.org/wiki/License:FreeBSD"
           "https://www.gnu.org/licenses/license-list#FreeBSD"))
(define bsd-3
  (license "Modified BSD" "http://directory.fsf.org/wiki/License:BSD_3Clause"
           "https://www.gnu.org/licenses/license-list#ModifiedBSD"))
(define bsd-4
  (license "Original BSD" "http://directory.fsf.org/wiki/License:BSD_4Clause"
           "https://www.gnu.org/licenses/license-list#OriginalBSD"))
(define cc0
  (license "CC0" "http://directory.fsf.org/wiki/License:CC0"
           "http://www.gnu.org/licenses/license-list.html#CC0"))
(define cc-by-sa4.0
  (license "CC-BY-SA 4.0" "http://creativecommons.org/licenses/by-sa/4.0/"
           "Creative Commons Attribution-ShareAlike 4.0 International"))
(define cc-by4.0
  (license "CC-BY 4.0" "http://creativecommons.org/licenses/by/4.0/"
           "Creative Commons Attribution 4.0 Unported"))
(define expat
  (license "Expat" "http://directory.fsf.org/wiki/License:Expat"
           "https://www.gnu.org/licenses/license-list.html#Expat"))
(define freetype
  (license "Freetype" "http://directory.fsf.org/wiki/License:Freetype"
           "https://www.gnu.org/licenses/license-list.html#freetype"))
(define gpl1
  (license "GPL 1" "https://www.gnu.org/licenses/old-licenses/gpl-1.0.html" #f))
(define gpl1+
  (license "GPL 1+" "https://www.gnu.org/licenses/old-licenses/gpl-1.0.html" #f))
(define gpl2
  (license "GPL 2" "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html"
           "https://www.gnu.org/licenses/license-list#GPLv2"))
(define gpl2+
  (license "GPL 2+" "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html"
           "https://www.gnu.org/licenses/license-list#GPLv2"))
(define gpl3
  (license "GPL 3" "https://www.gnu.org/licenses/gpl.html"
           "https://www.gnu.org/licenses/license-list#GNUGPLv3"))
(define gpl3+
  (license "GPL 3+" "https://www.gnu.org/licenses/gpl.html"
           "https://www.gnu.org/licenses/license-list#GNUGPLv3"))
(define fdl1.1+
  (license "FDL 1.1+" "https://www.gnu.org/licenses/fdl-1.1"
           "https://www.gnu.org/licenses/license-list#FDL"))
(define fdl1.2+
  (license "FDL 1.2+" "https://www.gnu.org/licenses/fdl-1.2"
           "https://www.gnu.org/licenses/license-list#FDL"))
(define fdl1.3+
  (license "FDL 1.3+" "https://www.gnu.org/licenses/fdl.html"
           "https://www.gnu.org/licenses/license-list#FDL"))
(define isc
  (license "ISC" "http://directory.fsf.org/wiki/License:ISC"
           "https://www.gnu.org/licenses/license-list.html#ISC"))
(define ibmpl1.0
  (license "IBMPL 1.0" "http://directory.fsf.org/wiki/License:IBMPLv1.0"
           "https://www.gnu.org/licenses/license-list#IBMPL"))
(define lgpl2.0
  (license "LGPL 2.0" "https://www.gnu.org/licenses/old-licenses/lgpl-2.0.html"
           "https://www.gnu.org/licenses/why-not-lgpl.html"))
(define lgpl2.0+
  (license "LGPL 2.0+" "https://www.gnu.org/licenses/old-licenses/lgpl-2.0.html"
           "https://www.gnu.org/licenses/why-not-lgpl.html"))
(define lgpl2.1
  (license "LGPL 2.1" "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html"
           "https://www.gnu.org/licenses/license-list#LGPLv2.1"))
(define lgpl2.1+
  (license "LGPL 2.1+" "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html"
           "https://www.gnu.org/licenses/license-list#LGPLv2.1"))
(define lgpl3
  (license "LGPL 3" "https://www.gnu.org/licenses/lgpl.html"
           "https://www.gnu.org/licenses/license-list#LGPLv3"))
(define lgpl3+
  (license "LGPL 3+" "https://www.gnu.org/licenses/lgpl.html"
           "https://www.gnu.org/licenses/license-list#LGPLv3"))
(define mpl1.1
  (license "MPL 1.1" "http://directory.fsf.org/wiki/License:MPLv1.1"
           "https://www.gnu.org/licenses/license-list#MPL"))
(define mpl2.0
  (license "MPL 2.0" "http://directory.fsf.org/wiki/License:MPLv2.0"
           "https://www.gnu.org/licenses/license-list#MPL-2.0"))
(define openssl
  (license "OpenSSL" "http://directory.fsf.org/wiki/License:OpenSSL"
           "https://www.gnu.org/licenses/license-list#OpenSSL"))
(define perl-license
  ;; Perl's license, GPLv1+ or Artistic; Guix keeps the former.
  gpl1+)
(define psfl
  (license "Python Software Foundation License"
           "http://docs.python.org/license.html" #f))
(define public-domain
  (license "Public Domain" "http://directory.fsf.org/wiki/License:PublicDomain"
           "https://www.gnu.org/licenses/license-list#PublicDomain"))
(define silofl1.1
  (license "SIL OFL 1.1" "http://scripts.sil.org/OFL_web"
           "https://www.gnu.org/licenses/license-list#SILOFL"))
(define unicode
  (license "Unicode" "https://directory.fsf.org/wiki/License:Unicode"
           "http://www.gnu.org/licenses/license-list.html#Unicode"))
(define unlicense
  (license "Unlicense" "https://unlicense.org/"
           "https://www.gnu.org/licenses/license-list.html#Unlicense"))
(define wtfpl2
  (license "WTFPL 2" "http://www.wtfpl.net" "http://www.wtfpl.net/about/"))
(define x11
  (license "X11" "http://directory.fsf.org/wiki/License:X11"
           "https://www.gnu.org/licenses/license-list#X11License"))
(define zlib
  (license "Zlib" "https://zlib.net/zlib_license.html"
           "https://www.gnu.org/licenses/license-list#ZLib"))
(define hpnd
  (license "HPND" "https://directory.fsf.org/wiki/License:HPND"
           "https://www.gnu.org/licenses/license-list#HPND"))

(define* (non-copyleft uri #:optional (comment ""))
  "Return a lax, permissive, non-copyleft license whose text is at URI."
  (license "non-copyleft" uri
           (string-append
            "This is a lax, non-copyleft free software license.  "
            "Check the URI for details.  "
            comment)))

(define* (x11-style uri #:optional (comment ""))
  "Return an X11-style license whose text is at URI."
  (license "X11-style" uri
           (string-append
            "This is an X11-style, non-copyleft free software license.  "
            "Check the URI for details.  "
            comment)))

(define* (fsf-free uri #:optional (comment ""))
  "Return a license approved as free by the FSF, described at URI."
  (license "FSF-free" uri comment))

(define* (fsdg-compatible uri #:optional (comment ""))
  "Return a license in accordance with the FSDG, described at URI."
  (license "FSDG-compatible" uri comment))

(define epl1.0
  (license "EPL 1.0" "http://directory.fsf.org/wiki/License:EPLv1.0"
           "https://www.gnu.org/licenses/license-list#EPL"))
