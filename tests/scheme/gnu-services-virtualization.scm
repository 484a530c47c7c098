;;; (gnu services virtualization): the childhurd (hurd-vm) service of Guix
;;; 1.5 — its configuration, forwarded ports, QEMU command line, shepherd
;;; service and extensions.
(use-modules (srfi srfi-64)
             (srfi srfi-1)
             (gnu services)
             (gnu services base)
             (gnu services shepherd)
             (gnu services ssh)
             (gnu services virtualization)
             (gnu system)
             (gnu system shadow)
             (gnu system image)
             (gnu image)
             (gnu packages virtualization)
             (guix gexp)
             (guix platform))

(test-begin "gnu-services-virtualization")

(define default (hurd-vm-configuration))

;; The seed's childhurd: 12 GiB of disk, 1 GiB of memory.
(define seed
  (hurd-vm-configuration
   (disk-size (* 12 (expt 2 30)))
   (memory-size 1024)))

(define (extension-of type target-name)
  "The compute procedure of TYPE's extension of the service type TARGET-NAME."
  (service-extension-compute
   (find (lambda (extension)
           (eq? target-name
                (service-type-name (service-extension-target extension))))
         (service-type-extensions type))))

(define (services-of-type os type)
  (filter (lambda (s) (eq? type (service-kind s)))
          (operating-system-user-services os)))


;;; Every field and its default (Guix 1.5).

(test-group "defaults"
  (test-assert (hurd-vm-configuration? default))
  (test-eq %hurd-vm-operating-system (hurd-vm-configuration-os default))
  (test-eq qemu-minimal (hurd-vm-configuration-qemu default))
  (test-eq 'hurd-qcow2 (hurd-vm-configuration-type default))
  (test-eq 'guess (hurd-vm-configuration-disk-size default))
  (test-eqv 2048 (hurd-vm-configuration-memory-size default))
  (test-equal '("--snapshot") (hurd-vm-configuration-options default))
  (test-eqv #f (hurd-vm-configuration-id default))
  (test-eqv #t (hurd-vm-configuration-offloading? default))
  (test-equal "/etc/childhurd" (hurd-vm-configuration-secret-root default))
  (test-equal
      '("--device" "rtl8139,netdev=net0"
        "--netdev"
        "user,id=net0,hostfwd=tcp:127.0.0.1:11004-:1004,hostfwd=tcp:127.0.0.1:10022-:22,hostfwd=tcp:127.0.0.1:15900-:5900")
    (hurd-vm-configuration-net-options default))
  (test-eqv #f (hurd-vm-configuration? 'childhurd)))

(test-group "image"
  (let ((image (hurd-vm-configuration-image seed)))
    ;; Guix's hurd-vm-disk-image: the hurd-qcow2 image of the OS, resized
    (test-assert (image? image))
    (test-eq 'compressed-qcow2 (image-format image))
    (test-equal "i586-gnu" (platform-system (image-platform image)))
    (test-equal "i586-pc-gnu" (platform-target (image-platform image)))
    (test-eqv 12884901888 (image-size image))
    (test-equal '(("Guix_image" "ext2" ("-o" "hurd" "-O" "ext_attr") (boot)))
      (map (lambda (p)
             (list (partition-label p) (partition-file-system p)
                   (partition-file-system-options p) (partition-flags p)))
           (image-partitions image)))
    (let ((os (image-operating-system image)))
      (test-equal "childhurd" (operating-system-host-name os))
      ;; the host sends the keys: the guest gets the secret service and
      ;; does not generate SSH host keys
      (test-eqv 1 (length (services-of-type os secret-service-type)))
      (test-equal '(#f)
        (map (lambda (s)
               (openssh-configuration-generate-host-keys? (service-value s)))
             (services-of-type os openssh-service-type)))
      ;; offloading: the 'offloading' account, and root without password
      (test-assert (find (lambda (account)
                           (and (user-account? account)
                                (string=? "root" (user-account-name account))
                                (not (user-account-password account))))
                         (operating-system-users os)))))
  (test-eq 'guess (image-size (hurd-vm-configuration-image default)))
  (test-equal "x86_64-gnu"
    (platform-system
     (image-platform
      (hurd-vm-configuration-image (hurd-vm-configuration (type 'hurd64-qcow2))))))
  ;; Guix: "hurd-vm: 'hurd-raw' is not a valid type"
  (test-error #t (hurd-vm-configuration (type 'hurd-raw)))
  ;; an image given by the user is used as is
  (let ((disk (plain-file "childhurd.qcow2" "")))
    (test-eq disk (hurd-vm-configuration-image
                   (hurd-vm-configuration (image disk))))))

(test-group "%hurd-vm-operating-system"
  (test-equal "childhurd" (operating-system-host-name %hurd-vm-operating-system))
  (let ((ssh (map service-value
                  (services-of-type %hurd-vm-operating-system
                                    openssh-service-type))))
    (test-eqv 1 (length ssh))
    (test-eq 'prohibit-password
      (openssh-configuration-permit-root-login (first ssh)))
    (test-eqv 22 (openssh-configuration-port-number (first ssh)))
    (test-eqv #f (openssh-configuration-use-pam? (first ssh)))
    (test-eqv #t (openssh-configuration-allow-empty-passwords? (first ssh)))))


;;; Ports: 10022 (SSH), 11004 (secrets), 15900 (VNC), plus 1000 per id.

(test-group "ports"
  (test-eqv 10022 (hurd-vm-port default %hurd-vm-ssh-port))
  (test-eqv 11004 (hurd-vm-port default %hurd-vm-secrets-port))
  (test-eqv 15900 (hurd-vm-port default %hurd-vm-vnc-port))
  (test-eqv 11022 (hurd-vm-port (hurd-vm-configuration (id 1)) %hurd-vm-ssh-port))
  (test-eqv 12022 (hurd-vm-port (hurd-vm-configuration (id 2)) %hurd-vm-ssh-port))
  (test-eqv 12004 (hurd-vm-port (hurd-vm-configuration (id 1))
                                %hurd-vm-secrets-port))
  (test-equal
      '("--device" "rtl8139,netdev=net0"
        "--netdev"
        "user,id=net0,hostfwd=tcp:127.0.0.1:12004-:1004,hostfwd=tcp:127.0.0.1:11022-:22,hostfwd=tcp:127.0.0.1:16900-:5900")
    (hurd-vm-net-options (hurd-vm-configuration (id 1))))
  ;; net-options may be given, replacing the computed ones
  (test-equal '("--nic" "none")
    (hurd-vm-configuration-net-options
     (hurd-vm-configuration (net-options '("--nic" "none"))))))


;;; The QEMU command line: store items are file-like objects.

(define (command-strings command)
  "COMMAND with its store items replaced by tags, for comparison."
  (map (lambda (x)
         (cond ((string? x) x)
               ((file-append? x)
                (cons (if (eq? (file-append-base x) qemu-minimal)
                          'qemu-minimal
                          'other-qemu)
                      (file-append-suffix x)))
               ((system-image? x)
                (list 'image (image-size (system-image-image x))
                      (system-image-target x)))
               (else x)))
       command))

(test-group "qemu command"
  (test-equal
      '((qemu-minimal "/bin/qemu-system-x86_64")
        "-m" "1024"
        "--device" "rtl8139,netdev=net0"
        "--netdev"
        "user,id=net0,hostfwd=tcp:127.0.0.1:11004-:1004,hostfwd=tcp:127.0.0.1:10022-:22,hostfwd=tcp:127.0.0.1:15900-:5900"
        "--snapshot"
        "--hda" (image 12884901888 "i586-pc-gnu")
        "--no-reboot")
    (command-strings (hurd-vm-configuration->qemu-command seed)))
  (test-equal
      '((qemu-minimal "/bin/qemu-system-x86_64")
        "-m" "2048"
        "--device" "rtl8139,netdev=net0"
        "--netdev"
        "user,id=net0,hostfwd=tcp:127.0.0.1:12004-:1004,hostfwd=tcp:127.0.0.1:11022-:22,hostfwd=tcp:127.0.0.1:16900-:5900"
        "--snapshot"
        "--hda" (image guess "i586-pc-gnu")
        "--no-reboot"
        "--enable-kvm")
    (command-strings (hurd-vm-configuration->qemu-command
                      (hurd-vm-configuration (id 1))
                      #:kvm? #t)))
  ;; custom options replace "--snapshot": a persistent childhurd
  (test-equal
      '("-m" "512" "--device" "rtl8139,netdev=net0" "--netdev"
        "user,id=net0,hostfwd=tcp:127.0.0.1:11004-:1004,hostfwd=tcp:127.0.0.1:10022-:22,hostfwd=tcp:127.0.0.1:15900-:5900"
        "--smp" "2" "--hda")
    (filter string?
            (drop-right (cdr (hurd-vm-configuration->qemu-command
                              (hurd-vm-configuration
                               (memory-size 512)
                               (options '("--smp" "2")))))
                        2))))


;;; The service type and the shepherd service.

(test-group "service type"
  (test-eq 'hurd-vm (service-type-name hurd-vm-service-type))
  (test-assert (hurd-vm-configuration?
                (service-type-default-value hurd-vm-service-type)))
  (test-equal '(account activate guix shepherd-root)
    (sort (map (lambda (extension)
                 (service-type-name (service-extension-target extension)))
               (service-type-extensions hurd-vm-service-type))
          (lambda (a b) (string<? (symbol->string a) (symbol->string b))))))

(test-group "shepherd service"
  (let ((services ((extension-of hurd-vm-service-type 'shepherd-root) seed)))
    (test-eqv 1 (length services))
    (let ((vm (first services)))
      ;; `herd start childhurd': childhurd is an alias of hurd-vm
      (test-equal '(hurd-vm childhurd) (shepherd-service-provision vm))
      (test-equal '(loopback networking user-processes)
        (shepherd-service-requirement vm))
      (test-equal "Run the Hurd in a Virtual Machine: a Childhurd."
        (shepherd-service-documentation vm))
      (test-assert (gexp? (shepherd-service-start vm)))
      (test-assert (member '(gnu build secret-service)
                           (shepherd-service-modules vm)))
      (let ((things (map gexp-input-thing
                         (gexp-inputs (shepherd-service-start vm)))))
        ;; the secrets go to the forwarded port, from the secret root
        (test-assert (member 11004 things))
        (test-assert (member "/etc/childhurd" things)))))
  (test-equal '(hurd-vm1 childhurd1)
    (shepherd-service-provision
     (first ((extension-of hurd-vm-service-type 'shepherd-root)
             (hurd-vm-configuration (id 1)))))))

(test-group "accounts, activation, offloading"
  (let* ((accounts ((extension-of hurd-vm-service-type 'account) seed))
         (childhurd (find user-account? accounts)))
    (test-equal '("childhurd") (map user-group-name (filter user-group? accounts)))
    (test-equal "childhurd" (user-account-name childhurd))
    (test-equal '("kvm") (user-account-supplementary-groups childhurd))
    (test-equal "/var/empty" (user-account-home-directory childhurd))
    (test-eqv #t (user-account-system? childhurd)))
  (test-assert (gexp? ((extension-of hurd-vm-service-type 'activate) seed)))
  (let ((machines (guix-extension-build-machines
                   ((extension-of hurd-vm-service-type 'guix) seed))))
    (test-eqv 1 (length machines))
    (let ((things (map gexp-input-thing (gexp-inputs (first machines)))))
      (test-assert (member 10022 things))
      (test-assert (member "i586-gnu" things))
      (test-assert (member "/etc/guix/offload/ssh/childhurd" things))))
  (test-equal '()
    (guix-extension-build-machines
     ((extension-of hurd-vm-service-type 'guix)
      (hurd-vm-configuration (offloading? #f))))))

(test-end "gnu-services-virtualization")
