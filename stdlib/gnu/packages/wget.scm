;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages wget): GNU Wget, part of %base-packages-networking.  Name,
;;; version, source URL and hash are those of GNU Guix (wget.scm of 2021,
;;; Wget 1.21.1: the newest revision schemos could read); inputs outside the
;;; part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages wget)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages compression)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define-public wget
  (package
    (name "wget")
    (version "1.21.1")
    (source
     (origin
      (method url-fetch)
      (uri (string-append "mirror://gnu/wget/wget-"
                          version ".tar.lz"))
      (sha256
       (base32
        "1bchzkacjsc5c0x01ngaana9fs5j12wfw1c8qxps1yp68x9vx6yv"))))
    (build-system gnu-build-system)
    ;; Guix: (inputs (list gnutls libidn2 libpsl)); native inputs also
    ;; pkg-config, perl, python, perl-http-daemon and perl-io-socket-ssl.
    (native-inputs
     (list lzip))                       ;the tarball is lzip-compressed
    (home-page "https://www.gnu.org/software/wget/")
    (synopsis "Non-interactive command-line utility for downloading files")
    (description
     "GNU Wget is a non-interactive tool for fetching files using the HTTP,
HTTPS and FTP protocols.  It can resume interrupted downloads, use file name
wild cards, supports proxies and cookies, and it can convert absolute links
in downloaded documents to relative links.")
    (license license:gpl3+)))           ; some files are under GPLv2+
